import { performance } from 'node:perf_hooks';

/**
 * The load generator of the fan-out benchmark (in the bench process): SCIM user creates and
 * PATCHes across a few organizations. Every change carries a unique token as `name.givenName`,
 * which the default attribute mapping turns into `first_name` in the webhook's `data`, so each
 * webhook is matched to the SCIM request that caused it.
 */
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Share of changes that create a user; the rest replace name.givenName of an existing one. */
const CREATE_SHARE = 0.4;
/** Each organization gets this many users before PATCHes start. */
const MIN_POOL = 10;

export interface BenchOrg {
  readonly id: string;
  readonly token: string;
  readonly connectionId: string;
  /** The receiver path of its webhook connection. */
  readonly path: string;
}

export interface Sent {
  readonly token: string;
  readonly orgId: string;
  readonly eventType: 'user.created' | 'user.updated';
  /** When the SCIM request was sent (ms since the epoch). */
  readonly startAt: number;
  /** When the SCIM 201/200 arrived (ms since the epoch), or undefined if it failed. */
  ackAt?: number;
  status?: number;
  /** Why the request failed without an answer (network error code). */
  error?: string;
}

export const wallClock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes the changes of one scenario: tokens `<prefix><n>`, organizations in turn. */
export class ChangeSource {
  readonly sent: Sent[] = [];
  private readonly pools = new Map<string, string[]>();
  private readonly pendingCreates = new Map<string, number>();
  private counter = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly orgs: readonly BenchOrg[],
    private readonly prefix: string,
  ) {
    for (const org of orgs) this.pools.set(org.id, []);
  }

  /** Sends one change and records when its response arrived. */
  async one(): Promise<void> {
    const n = this.counter++;
    const org = this.orgs[n % this.orgs.length]!;
    const token = `${this.prefix}${n}`;
    const pool = this.pools.get(org.id)!;
    const create = pool.length + (this.pendingCreates.get(org.id) ?? 0) < MIN_POOL || Math.random() < CREATE_SHARE || pool.length === 0;
    const record: Sent = { token, orgId: org.id, eventType: create ? 'user.created' : 'user.updated', startAt: wallClock() };
    this.sent.push(record);
    const headers = { authorization: `Bearer ${org.token}`, 'content-type': 'application/scim+json' };
    try {
      if (create) {
        this.pendingCreates.set(org.id, (this.pendingCreates.get(org.id) ?? 0) + 1);
        const response = await fetch(`${this.apiUrl}/scim/v2/${org.id}/Users`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            schemas: [CORE_USER],
            userName: `${token}@bench.example`,
            externalId: `ext-${token}`,
            name: { givenName: token, familyName: 'Fanout' },
            emails: [{ value: `${token}@bench.example`, type: 'work', primary: true }],
            active: true,
          }),
        });
        record.ackAt = wallClock();
        record.status = response.status;
        this.pendingCreates.set(org.id, this.pendingCreates.get(org.id)! - 1);
        const body = (await response.json()) as { id?: string };
        if (response.status === 201 && body.id) pool.push(body.id);
      } else {
        const userId = pool[Math.floor(Math.random() * pool.length)]!;
        const response = await fetch(`${this.apiUrl}/scim/v2/${org.id}/Users/${userId}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: token }] }),
        });
        record.ackAt = wallClock();
        record.status = response.status;
        await response.arrayBuffer();
      }
      if (record.status! >= 300) record.ackAt = undefined;
    } catch (error) {
      record.ackAt = undefined;
      record.error = String((error as { cause?: { code?: string } }).cause?.code ?? error);
    }
  }

  /** Open loop: `perSecond` changes a second for `seconds`, whatever the response times. */
  async paced(perSecond: number, seconds: number): Promise<void> {
    const total = Math.round(perSecond * seconds);
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let fired = 0;
    while (fired < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
      while (fired < due) {
        const p = this.one().finally(() => inFlight.delete(p));
        inFlight.add(p);
        fired++;
      }
      await sleep(2);
    }
    await Promise.all(inFlight);
  }

  /** Closed loop: `total` changes, `concurrency` at a time, as fast as the API takes them. */
  async saturate(total: number, concurrency: number): Promise<void> {
    let fired = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (fired < total) {
          fired++;
          await this.one();
        }
      }),
    );
  }

  /** How the requests that were not acknowledged ended: `<status>` or the network error, with counts. */
  failures(): string {
    const counts = new Map<string, number>();
    for (const s of this.sent) {
      if (s.ackAt !== undefined) continue;
      const key = s.error ?? String(s.status);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => `${k} × ${n}`).join(', ') || 'none';
  }

  /** The changes the API acknowledged, by token. */
  acknowledged(): Map<string, Sent> {
    return new Map(this.sent.filter((s) => s.ackAt !== undefined).map((s) => [s.token, s]));
  }
}
