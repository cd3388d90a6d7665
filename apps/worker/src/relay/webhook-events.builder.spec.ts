import { BuiltEvent, EventContext, OutboxChange, buildWebhookEvents } from './webhook-events.builder';

const context: EventContext = {
  user: (snapshot) => ({ id: snapshot.id, email_address: snapshot.user_name, active: snapshot.active }),
  memberUsers: new Map([
    ['u1', { id: 'u1', email_address: 'one@acme.test' }],
    ['u2', { id: 'u2', email_address: 'two@acme.test' }],
  ]),
};

function change(partial: Partial<OutboxChange>): OutboxChange {
  return {
    organizationId: 'org',
    id: '1',
    resourceType: 'User',
    resourceId: 'u1',
    operation: 'updated',
    changes: null,
    snapshot: { user_name: 'one@acme.test', active: true, display_name: 'Eng', external_id: 'ext' },
    connectionId: null,
    createdAt: new Date(0),
    ...partial,
  };
}

const types = (events: BuiltEvent[]) => events.map((e) => e.type);

describe('buildWebhookEvents', () => {
  it.each<[string, Partial<OutboxChange>, string[]]>([
    ['user created', { operation: 'created' }, ['user.created']],
    ['user deleted', { operation: 'deleted' }, ['user.deleted']],
    ['profile change', { changes: { changedAttributes: ['name'], profileChanges: ['first_name'] } }, ['user.updated']],
    ['SCIM change without profile diff falls back to attributes', { changes: { changedAttributes: ['title'] } }, ['user.updated']],
    ['SCIM change that maps to nothing', { changes: { changedAttributes: ['title'], profileChanges: [] } }, []],
    ['deactivation', { changes: { changedAttributes: ['active'], profileChanges: ['active'] }, snapshot: { active: false } }, ['user.deactivated']],
    ['reactivation', { changes: { changedAttributes: ['active'] }, snapshot: { active: true } }, ['user.reactivated']],
    ['rename and deactivation together', { changes: { changedAttributes: ['active', 'name'], profileChanges: ['active', 'last_name'] }, snapshot: { active: false } }, ['user.updated', 'user.deactivated']],
    ['password only', { changes: { changedAttributes: ['password'] } }, []],
    ['user resync', { operation: 'resync' }, ['user.updated']],
    ['group created', { resourceType: 'Group', operation: 'created' }, ['group.created']],
    ['group created with members', { resourceType: 'Group', operation: 'members_changed', changes: { membersAdded: ['u1', 'u2'] } }, ['group.member_added', 'group.member_added']],
    ['group renamed', { resourceType: 'Group', changes: { changedAttributes: ['displayName'] } }, ['group.updated']],
    ['group membership only', { resourceType: 'Group', changes: { changedAttributes: ['members'], membersAdded: ['u1'], membersRemoved: ['u2'] } }, ['group.member_added', 'group.member_removed']],
    ['nested group member is not a user event', { resourceType: 'Group', operation: 'members_changed', changes: { membersAdded: ['g9'] } }, []],
    ['group deleted', { resourceType: 'Group', operation: 'deleted', changes: { membersRemoved: ['u1'] } }, ['group.deleted']],
    ['group resync', { resourceType: 'Group', operation: 'resync', changes: { membersAdded: ['u1'] } }, ['group.updated', 'group.member_added']],
  ])('%s', (_name, partial, expected) => {
    expect(types(buildWebhookEvents(change(partial), context))).toEqual(expected);
  });

  it('puts the product field names in user.updated changes, never active or password', () => {
    const [event] = buildWebhookEvents(change({ changes: { changedAttributes: ['name', 'active', 'password'], profileChanges: ['first_name', 'public_metadata.title', 'active'] } }), context);
    expect(event!.data.changes).toEqual(['first_name', 'public_metadata.title']);
  });

  it('describes member events with the group and the user', () => {
    const [event] = buildWebhookEvents(change({ resourceType: 'Group', resourceId: 'g1', operation: 'members_changed', changes: { membersAdded: ['u2'] } }), context);
    expect(event!.data).toEqual({ group: { id: 'g1', display_name: 'Eng' }, user: { id: 'u2', email_address: 'two@acme.test' } });
  });

  it('describes groups by id, display_name and external_id', () => {
    const [event] = buildWebhookEvents(change({ resourceType: 'Group', resourceId: 'g1', operation: 'created' }), context);
    expect(event!.data).toEqual({ id: 'g1', display_name: 'Eng', external_id: 'ext' });
  });
});
