import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError } from '../connector-error';
import { classifyGoogleError, describeGoogleFailure } from './google-error.util';
import type { CrmCall } from './google-clients.factory';
import { type IamPolicy, groupMember, mergeGroupBindings } from './iam-policy.util';

/**
 * One entry of `config.iam.bindings` (the seed's `group_role_mapping`): members of the Delta group
 * named `group` (displayName, id or group email) get `role` on `resource` (`projects/x`,
 * `folders/1`, `organizations/1`; a bare project id means `projects/<id>`).
 */
export interface IamBindingRule {
  readonly group: string;
  readonly resource: string;
  readonly role: string;
}

export interface DesiredIamBinding {
  readonly resource: string;
  readonly role: string;
}

export interface CloudIamBinderOptions {
  /** Read-modify-write attempts before a lasting conflict is reported as retryable. */
  readonly maxAttempts?: number;
  /** First backoff step after a 409 ABORTED; doubled each attempt, plus jitter. */
  readonly backoffMs?: number;
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly clientEmail?: string;
}

/**
 * Google Cloud IAM role bindings for Directory groups, through Cloud Resource Manager's
 * getIamPolicy / setIamPolicy (reference §3.4). Every change is a read-modify-write carrying the
 * etag that was read; a 409 ABORTED (someone else wrote in between) re-reads and redoes the
 * whole edit with backoff, so the other writer's change is kept, never overwritten. Delta only
 * adds or removes `group:<email>` in the roles `config.iam` lists for that resource
 * (iam-policy.util): bindings it did not make stay as they are.
 */
export class CloudIamBinder {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(
    private readonly rules: readonly IamBindingRule[],
    private readonly crm: CrmCall,
    private readonly options: CloudIamBinderOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 200;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  /** The bindings `config.iam` asks for a group, matched by id, email or (case-insensitively) displayName. */
  bindingsFor(group: { readonly id: string; readonly displayName: string; readonly email?: string }): DesiredIamBinding[] {
    const names = new Set([group.displayName.trim().toLowerCase(), group.email?.toLowerCase()].filter(Boolean));
    return this.rules.filter((r) => r.group === group.id || names.has(r.group.toLowerCase())).map(({ resource, role }) => ({ resource, role }));
  }

  /** Resources the configuration names: where Delta may have bindings to keep or remove. */
  resources(): string[] {
    return [...new Set(this.rules.map((r) => r.resource))];
  }

  /**
   * Converges `group:<email>` to exactly `desired` on every configured resource: added where
   * desired, removed from the other configured roles, untouched elsewhere.
   */
  async syncGroupBindings(groupEmail: string, desired: readonly DesiredIamBinding[]): Promise<void> {
    const resources = new Set([...this.resources(), ...desired.map((d) => d.resource)]);
    for (const resource of resources) {
      const managed = new Set([...this.rules, ...desired].filter((r) => r.resource === resource).map((r) => r.role));
      const wanted = new Set(desired.filter((d) => d.resource === resource).map((d) => d.role));
      await this.readModifyWrite(resource, (policy) => mergeGroupBindings(policy, groupMember(groupEmail), managed, wanted));
    }
  }

  /** Removes the group from every configured role (a deleted group); foreign bindings stay. */
  async removeGroupBindings(groupEmail: string): Promise<void> {
    await this.syncGroupBindings(groupEmail, []);
  }

  /** The connection test: the service account can read every configured policy. */
  async checkAccess(): Promise<void> {
    for (const resource of this.resources()) await this.getPolicy(resource);
  }

  private async getPolicy(resource: string): Promise<IamPolicy> {
    try {
      // Always request version 3 and send back what comes (§3.4 "Versions").
      return ((await this.crm(resource, 'getIamPolicy', { options: { requestedPolicyVersion: 3 } })) ?? {}) as IamPolicy;
    } catch (error) {
      throw classifyGoogleError(error, { action: `read the IAM policy of ${resource}`, clientEmail: this.options.clientEmail });
    }
  }

  private async readModifyWrite(resource: string, edit: (policy: IamPolicy) => { policy: IamPolicy; changed: boolean }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { policy, changed } = edit(await this.getPolicy(resource));
      if (!changed) return;
      try {
        // The etag read goes back unchanged: a concurrent write makes this a 409 ABORTED (§3.4 "Optimistic concurrency").
        await this.crm(resource, 'setIamPolicy', { policy, updateMask: 'bindings,etag' });
        return;
      } catch (error) {
        const failure = describeGoogleFailure(error);
        const conflict = failure.status === 409 || failure.grpcStatus === 'ABORTED';
        if (!conflict) throw classifyGoogleError(error, { action: `write the IAM policy of ${resource}`, clientEmail: this.options.clientEmail });
        if (attempt >= this.maxAttempts) {
          throw new ConnectorError('retryable', `write the IAM policy of ${resource}: it changed concurrently ${attempt} times in a row (409 ABORTED); will retry later.`, 409);
        }
        await this.sleep(this.backoffMs * 2 ** (attempt - 1) + randomInt(0, this.backoffMs));
      }
    }
  }
}
