import type { WebhookEventType } from '@delta/connectors';

/** One committed change as the outbox holds it. */
export interface OutboxChange {
  readonly organizationId: string;
  readonly id: string;
  readonly resourceType: 'User' | 'Group';
  readonly resourceId: string;
  readonly operation: 'created' | 'updated' | 'deleted' | 'members_changed' | 'resync';
  /** Set on a resync's rows: only this connection receives them. */
  readonly connectionId: string | null;
  readonly changes: {
    readonly changedAttributes?: readonly string[];
    readonly profileChanges?: readonly string[];
    readonly membersAdded?: readonly string[];
    readonly membersRemoved?: readonly string[];
  } | null;
  /** The resource row as committed (`to_jsonb` of the users/groups row). */
  readonly snapshot: Record<string, unknown> | null;
  readonly createdAt: Date;
}

export interface BuiltEvent {
  readonly type: WebhookEventType;
  readonly data: Record<string, unknown>;
}

export interface EventContext {
  /** The user as `GET /v1/organizations/{org}/users/{id}` shows it, from a users-row snapshot. */
  readonly user: (snapshot: Record<string, unknown>) => Record<string, unknown>;
  /** `{id, email_address}` of member users by id; ids that are not users (nested groups) are absent. */
  readonly memberUsers: ReadonlyMap<string, { id: string; email_address: string | null }>;
}

const NOT_PRODUCT_FIELDS = new Set(['active', 'password', 'members']);

function group(snapshot: Record<string, unknown> | null, id: string): { id: string; display_name: string | null; external_id: string | null } {
  return {
    id,
    display_name: typeof snapshot?.display_name === 'string' ? snapshot.display_name : null,
    external_id: typeof snapshot?.external_id === 'string' ? snapshot.external_id : null,
  };
}

/**
 * The webhook events one committed change produces (issue 5 contract), in the order they must be
 * delivered: an event stream, never merged. `user.updated` carries the product fields that
 * changed (the mapped profile's when known, else the SCIM attributes); flipping `active` is its
 * own event; a group created with members is `group.created` then one `member_added` each.
 */
export function buildWebhookEvents(change: OutboxChange, context: EventContext): BuiltEvent[] {
  const snapshot = change.snapshot ?? {};
  if (change.resourceType === 'User') {
    const data = context.user({ ...snapshot, id: change.resourceId });
    switch (change.operation) {
      case 'created':
        return [{ type: 'user.created', data }];
      case 'deleted':
        return [{ type: 'user.deleted', data }];
      case 'resync':
        return [{ type: 'user.updated', data: { ...data, changes: [] } }];
      default: {
        const events: BuiltEvent[] = [];
        const fields = (change.changes?.profileChanges ?? change.changes?.changedAttributes ?? []).filter((f) => !NOT_PRODUCT_FIELDS.has(f));
        if (fields.length > 0) events.push({ type: 'user.updated', data: { ...data, changes: [...fields] } });
        if (change.changes?.changedAttributes?.includes('active')) {
          events.push({ type: snapshot.active === false ? 'user.deactivated' : 'user.reactivated', data });
        }
        return events;
      }
    }
  }
  const groupData = group(change.snapshot, change.resourceId);
  const events: BuiltEvent[] = [];
  if (change.operation === 'created') events.push({ type: 'group.created', data: groupData });
  if (change.operation === 'deleted') return [{ type: 'group.deleted', data: groupData }];
  const documentChanged = (change.changes?.changedAttributes ?? []).some((a) => a !== 'members');
  if (change.operation === 'resync' || (change.operation === 'updated' && documentChanged)) {
    events.push({ type: 'group.updated', data: groupData });
  }
  const ref = { id: groupData.id, display_name: groupData.display_name };
  for (const [ids, type] of [
    [change.changes?.membersAdded, 'group.member_added'],
    [change.changes?.membersRemoved, 'group.member_removed'],
  ] as const) {
    for (const id of ids ?? []) {
      const user = context.memberUsers.get(id);
      if (user) events.push({ type, data: { group: ref, user } });
    }
  }
  return events;
}
