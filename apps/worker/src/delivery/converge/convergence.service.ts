import { Injectable } from '@nestjs/common';
import { AppConnector, ConnectorError, RemoteUser } from '@delta/connectors';
import { ConnectionRecord, ConvergeRequest, Database, DeliveriesRepository, DeliveryJobRef, DeliveryRecord, DownstreamRepository, TenantContext } from '@delta/persistence';
import { ScopeResolver } from '../../relay/scope.resolver';
import type { OutboxChange } from '../../relay/webhook-events.builder';
import { GroupRow, UserRow, stateHash, toDesiredGroup, toDesiredUser } from './desired-state.mapper';

const DAY = 86_400_000;
const MEMBER_CHUNK = 100;

export interface ConvergeOutcome {
  /** Run this delivery again at that time (a scheduled deletion). */
  readonly rerunAt?: Date;
  /** Other deliveries this one asked for (a group's members to create first, a new user's groups). */
  readonly requested: readonly DeliveryJobRef[];
}

/**
 * Level-triggered convergence (ARCHITECTURE.md principle 2): read the resource as it is now and
 * the link to the app, then make the app match — create (after a lookup, so a create whose answer
 * was lost, or an account that already exists, is linked, not duplicated), update only what
 * changed, deactivate leavers at once and remove them from the groups Delta manages, delete after
 * the retention period, and apply group memberships by set difference. No DB transaction is held
 * across a call to the app.
 */
@Injectable()
export class ConvergenceService {
  constructor(
    private readonly db: Database,
    private readonly downstream: DownstreamRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly scope: ScopeResolver,
  ) {}

  async converge(connection: ConnectionRecord, delivery: DeliveryRecord, connector: AppConnector): Promise<ConvergeOutcome> {
    return delivery.resourceType === 'User' ? this.user(connection, delivery, connector) : this.group(connection, delivery, connector);
  }

  private async user(connection: ConnectionRecord, delivery: DeliveryRecord, connector: AppConnector): Promise<ConvergeOutcome> {
    const ctx: TenantContext = { organizationId: delivery.organizationId };
    const { row, inScope, link } = await this.localState<UserRow>(ctx, connection, delivery, `SELECT to_jsonb(u) - 'password_hash' AS row FROM users u WHERE u.organization_id = $1 AND u.id = $2`);
    const desired = row ? toDesiredUser(row) : undefined;
    if (desired && desired.active && inScope) {
      const hash = stateHash(desired);
      if (!link) {
        // Apps that refuse a duplicate are asked to create first and looked up only on that refusal
        // or on a retry (a lost answer may hide a create that landed): fewer calls per joiner.
        const lookupFirst = delivery.attempts > 1 || !connector.refusesDuplicates;
        const found = lookupFirst ? await connector.findUser({ externalId: desired.id, email: desired.email, userName: desired.userName, user: desired }) : undefined;
        const { remote, linked } = found ? { remote: found, linked: true } : await this.create(connector, desired);
        // A created account already holds the desired state (connectors converge an account they
        // link on a conflict inside createUser); one found by the engine is converged here.
        if (linked) {
          if (!remote.active) await connector.reactivateUser(remote.id, desired);
          await connector.updateUser(remote.id, desired);
        }
        // Newly linked: its groups converge again so the membership follows.
        const requested = await this.db.tenant(ctx, async (tx) => {
          await this.downstream.saveLink(tx, ctx, connection.id, 'User', desired.id, { remoteId: remote.id, state: { hash, active: true } });
          const groups = await this.downstream.linkedGroupsOf(tx, ctx, connection.id, desired.id);
          return this.deliveries.requestConvergence(tx, groups.map((id) => request(delivery, connection, 'Group', id)));
        });
        return { requested };
      }
      const wasInactive = link.state.active === false;
      if (wasInactive) await connector.reactivateUser(link.remoteId, desired);
      if (wasInactive || link.state.hash !== hash) await connector.updateUser(link.remoteId, desired);
      const requested = await this.db.tenant(ctx, async (tx) => {
        await this.downstream.saveLink(tx, ctx, connection.id, 'User', desired.id, { remoteId: link.remoteId, state: { hash, active: true } });
        if (!wasInactive) return [];
        const groups = await this.downstream.linkedGroupsOf(tx, ctx, connection.id, desired.id);
        return this.deliveries.requestConvergence(tx, groups.map((id) => request(delivery, connection, 'Group', id)));
      });
      return { requested };
    }
    if (!link) return { requested: [] };
    return this.deprovision(ctx, connection, delivery, connector, link);
  }

  /** A leaver (inactive, out of scope or deleted): suspended at once, out of Delta's groups, deleted after the retention period. */
  private async deprovision(
    ctx: TenantContext,
    connection: ConnectionRecord,
    delivery: DeliveryRecord,
    connector: AppConnector,
    link: { remoteId: string; state: Record<string, unknown> },
  ): Promise<ConvergeOutcome> {
    if (link.state.active !== false) {
      await connector.deactivateUser(link.remoteId);
      const groups = await this.db.tenant(ctx, (tx) => this.downstream.managedGroupsOf(tx, ctx, connection.id, delivery.resourceId));
      for (const group of groups) {
        await connector.removeMembers(group.remoteId, [link.remoteId]);
        await this.db.tenant(ctx, (tx) => this.downstream.recordMemberships(tx, ctx, connection.id, group.groupId, [], [delivery.resourceId]));
      }
    }
    if (connection.deprovision.mode !== 'delete') {
      await this.db.tenant(ctx, (tx) => this.downstream.saveLink(tx, ctx, connection.id, 'User', delivery.resourceId, { remoteId: link.remoteId, state: { ...link.state, active: false } }));
      return { requested: [] };
    }
    const deleteAt = typeof link.state.delete_at === 'string' ? new Date(link.state.delete_at) : new Date(Date.now() + (connection.deprovision.delete_after_days ?? 30) * DAY);
    if (deleteAt.getTime() > Date.now()) {
      await this.db.tenant(ctx, (tx) =>
        this.downstream.saveLink(tx, ctx, connection.id, 'User', delivery.resourceId, { remoteId: link.remoteId, state: { ...link.state, active: false, delete_at: deleteAt.toISOString() } }),
      );
      return { rerunAt: deleteAt, requested: [] };
    }
    await connector.deleteUser(link.remoteId);
    await this.db.tenant(ctx, (tx) => this.downstream.dropLink(tx, ctx, connection.id, 'User', delivery.resourceId));
    return { requested: [] };
  }

  private async create(connector: AppConnector, desired: ReturnType<typeof toDesiredUser>): Promise<{ remote: RemoteUser; linked: boolean }> {
    try {
      return { remote: await connector.createUser(desired), linked: false };
    } catch (error) {
      // A create whose first answer was lost, or an account made by hand: link it, never duplicate.
      if (error instanceof ConnectorError && error.status === 409) {
        const existing = await connector.findUser({ externalId: desired.id, email: desired.email, userName: desired.userName, user: desired });
        if (existing) return { remote: existing, linked: true };
      }
      throw error;
    }
  }

  /** The resource as it is now (undefined once deleted), whether the connection's scope holds it, and its link. */
  private localState<R>(ctx: TenantContext, connection: ConnectionRecord, delivery: DeliveryRecord, select: string) {
    return this.db.tenant(ctx, async (tx) => {
      const [found] = await tx.query<{ row: R }>(select, [ctx.organizationId, delivery.resourceId]);
      const change: OutboxChange = { organizationId: ctx.organizationId, id: '0', resourceType: delivery.resourceType, resourceId: delivery.resourceId, operation: 'updated', changes: null, snapshot: null, connectionId: null, createdAt: new Date() };
      const inScope = found ? (await this.scope.resolve(tx, [change], [connection]))(connection, change) : false;
      return { row: found?.row, inScope, link: await this.downstream.link(tx, ctx, connection.id, delivery.resourceType, delivery.resourceId) };
    });
  }

  private async group(connection: ConnectionRecord, delivery: DeliveryRecord, connector: AppConnector): Promise<ConvergeOutcome> {
    const ctx: TenantContext = { organizationId: delivery.organizationId };
    const { row, inScope, link } = await this.localState<GroupRow>(ctx, connection, delivery, `SELECT to_jsonb(g) - 'resource' AS row FROM groups g WHERE g.organization_id = $1 AND g.id = $2`);
    if (!row || !inScope) {
      if (link) {
        // Only groups Delta created or linked are removed; the app's other groups are never touched.
        await connector.deleteGroup(link.remoteId);
        await this.db.tenant(ctx, (tx) => this.downstream.dropLink(tx, ctx, connection.id, 'Group', delivery.resourceId));
      }
      return { requested: [] };
    }
    const desired = toDesiredGroup(row);
    const hash = stateHash(desired);
    let remoteId = link?.remoteId;
    if (!remoteId) {
      const remote = (await connector.findGroup(desired)) ?? (await connector.createGroup(desired));
      remoteId = remote.id;
      await this.db.tenant(ctx, (tx) => this.downstream.saveLink(tx, ctx, connection.id, 'Group', desired.id, { remoteId: remote.id, state: { hash } }));
    } else if (link!.state.hash !== hash) {
      await connector.updateGroup(remoteId, desired);
      await this.db.tenant(ctx, (tx) => this.downstream.saveLink(tx, ctx, connection.id, 'Group', desired.id, { remoteId: remoteId!, state: { hash } }));
    }
    return { requested: await this.memberships(ctx, connection, delivery, connector, remoteId) };
  }

  /** A group's membership follows Delta's, for members that exist in the app; the others are created first. */
  private async memberships(ctx: TenantContext, connection: ConnectionRecord, delivery: DeliveryRecord, connector: AppConnector, groupRemoteId: string): Promise<DeliveryJobRef[]> {
    const { diff, remote } = await this.db.tenant(ctx, async (tx) => {
      const d = await this.downstream.membershipDiff(tx, ctx, connection.id, delivery.resourceId);
      return { diff: d, remote: await this.downstream.remoteUsers(tx, ctx, connection.id, [...d.add, ...d.remove]) };
    });
    const ready = diff.add.filter((id) => remote.has(id));
    const missing = diff.add.filter((id) => !remote.has(id));
    for (let i = 0; i < ready.length; i += MEMBER_CHUNK) {
      const chunk = ready.slice(i, i + MEMBER_CHUNK);
      await connector.addMembers(groupRemoteId, chunk.map((id) => remote.get(id)!));
      await this.db.tenant(ctx, (tx) => this.downstream.recordMemberships(tx, ctx, connection.id, delivery.resourceId, chunk, []));
    }
    for (let i = 0; i < diff.remove.length; i += MEMBER_CHUNK) {
      const chunk = diff.remove.slice(i, i + MEMBER_CHUNK);
      const remoteIds = chunk.map((id) => remote.get(id)).filter((id): id is string => id !== undefined);
      if (remoteIds.length > 0) await connector.removeMembers(groupRemoteId, remoteIds);
      await this.db.tenant(ctx, (tx) => this.downstream.recordMemberships(tx, ctx, connection.id, delivery.resourceId, [], chunk));
    }
    if (missing.length === 0) return [];
    // Members not in the app yet: they converge first; linking each one re-runs this group.
    return this.db.tenant(ctx, (tx) => this.deliveries.requestConvergence(tx, missing.map((id) => request(delivery, connection, 'User', id))));
  }
}

function request(delivery: DeliveryRecord, connection: ConnectionRecord, resourceType: 'User' | 'Group', resourceId: string): ConvergeRequest {
  return { organizationId: delivery.organizationId, connectionId: connection.id, resourceType, resourceId, sequence: BigInt(delivery.sequence), committedAt: delivery.committedAt };
}
