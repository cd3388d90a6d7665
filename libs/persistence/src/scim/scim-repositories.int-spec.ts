import { randomUUID } from 'node:crypto';
import { loadConfig } from '@delta/config';
import { OpenedDatabase, openDatabase } from '../database/database.factory';
import type { TenantContext } from '../database/tenant-context';
import { ScimGroupsRepository } from './scim-groups.repository';
import { ScimUsersRepository, WriteOrigin } from './scim-users.repository';

const origin: WriteOrigin = { actorType: 'scim_token', actorId: 'token-1', method: 'POST', path: '/scim/v2/x/Users', status: 201 };

describe('SCIM repositories', () => {
  let opened: OpenedDatabase;
  const users = new ScimUsersRepository();
  const groups = new ScimGroupsRepository();
  let ctx: TenantContext;

  beforeAll(async () => {
    opened = await openDatabase(loadConfig({ DATABASE_URL: process.env.DELTA_TEST_DATABASE_URL }));
    const [org] = await opened.database.system((tx) =>
      tx.query<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Repo', $1) RETURNING id`, [`repo-${randomUUID().slice(0, 8)}`]),
    );
    ctx = { organizationId: org!.id, requestId: 'req-1' };
  });
  afterAll(() => opened.close());

  const newUser = (userName: string) => ({
    userName,
    externalId: `ext-${userName}`,
    displayName: userName,
    active: true,
    resource: { userName, name: { givenName: 'Ada' } },
  });

  it('writes the user, its outbox change and its audit entry in one statement', async () => {
    const user = await opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser('ada@acme.test'), origin));
    expect(user).toMatchObject({ userName: 'ada@acme.test', version: 1, active: true });
    const [outbox] = await opened.database.tenant(ctx, (tx) =>
      tx.query<{ operation: string; request_id: string }>(`SELECT operation, request_id FROM outbox WHERE resource_id = $1`, [user.id]),
    );
    expect(outbox).toEqual({ operation: 'created', request_id: 'req-1' });
    const [audit] = await opened.database.tenant(ctx, (tx) =>
      tx.query<{ action: string; status: number }>(`SELECT action, status FROM audit_log WHERE resource_id = $1`, [user.id]),
    );
    expect(audit).toEqual({ action: 'user.created', status: 201 });
  });

  it('refuses a second userName differing only in case, atomically', async () => {
    await opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser('Bob@Acme.test'), origin));
    await expect(opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser('bob@acme.TEST'), origin))).rejects.toMatchObject({
      code: '23505',
      constraint: 'uq_users_user_name',
    });
    const [count] = await opened.database.tenant(ctx, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE changes IS NOT NULL AND resource_id NOT IN (SELECT id FROM users)`),
    );
    expect(count!.n).toBe(0);
  });

  it('adds members idempotently, removes them, and computes direct and indirect groups', async () => {
    const carol = await opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser('carol@acme.test'), origin));
    const inner = await opened.database.tenant(ctx, (tx) => groups.insert(tx, ctx, { displayName: 'Engineers', externalId: null, resource: {} }, origin));
    const outer = await opened.database.tenant(ctx, (tx) => groups.insert(tx, ctx, { displayName: 'Staff', externalId: null, resource: {} }, origin));
    const added = await opened.database.tenant(ctx, async (tx) => {
      const first = await groups.addMembers(tx, ctx, inner.id, [{ value: carol.id, type: 'User' }]);
      const again = await groups.addMembers(tx, ctx, inner.id, [{ value: carol.id, type: 'User' }]);
      await groups.addMembers(tx, ctx, outer.id, [{ value: inner.id, type: 'Group' }]);
      return { first, again };
    });
    expect(added).toEqual({ first: [carol.id], again: [] });
    const memberOf = await opened.database.tenant(ctx, (tx) => groups.groupsOf(tx, ctx, [carol.id]));
    expect(memberOf.get(carol.id)).toEqual(
      expect.arrayContaining([
        { value: inner.id, display: 'Engineers', type: 'direct' },
        { value: outer.id, display: 'Staff', type: 'indirect' },
      ]),
    );
    const members = await opened.database.tenant(ctx, (tx) => groups.members(tx, ctx, [inner.id]));
    expect(members.get(inner.id)).toEqual([{ value: carol.id, type: 'User', display: 'carol@acme.test' }]);
    const unknown = await opened.database.tenant(ctx, (tx) =>
      groups.unknownMembers(tx, ctx, [{ value: carol.id, type: 'User' }, { value: randomUUID(), type: 'User' }, { value: carol.id, type: 'Group' }]),
    );
    expect(unknown).toHaveLength(2);
    expect(await opened.database.tenant(ctx, (tx) => users.delete(tx, ctx, carol.id, origin))).toBe(true);
    const after = await opened.database.tenant(ctx, (tx) => groups.members(tx, ctx, [inner.id]));
    expect(after.get(inner.id)).toEqual([]);
  });

  it('lists with a compiled filter, a total and stable paging', async () => {
    for (const name of ['list-1@acme.test', 'list-2@acme.test', 'list-3@acme.test']) {
      await opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser(name), origin));
    }
    const page = await opened.database.tenant(ctx, (tx) =>
      users.list(tx, ctx, { where: `u.user_name LIKE $2`, params: [ctx.organizationId, 'list-%'], descending: false, offset: 1, limit: 1 }),
    );
    expect(page.total).toBe(3);
    expect(page.users.map((u) => u.userName)).toEqual(['list-2@acme.test']);
    const countOnly = await opened.database.tenant(ctx, (tx) =>
      users.list(tx, ctx, { where: `u.user_name LIKE $2`, params: [ctx.organizationId, 'list-%'], descending: false, offset: 0, limit: 0 }),
    );
    expect(countOnly).toEqual({ total: 3, users: [] });
    const pastEnd = await opened.database.tenant(ctx, (tx) =>
      users.list(tx, ctx, { where: `u.user_name LIKE $2`, params: [ctx.organizationId, 'list-%'], descending: false, offset: 10, limit: 5 }),
    );
    expect(pastEnd).toEqual({ total: 3, users: [] });
    await expect(
      opened.database.tenant(ctx, (tx) => users.list(tx, ctx, { params: [randomUUID()], descending: false, offset: 0, limit: 5 })),
    ).rejects.toThrow(/scoped/);
  });

  it('reads a user with its groups in the same statement, as groupsOf computes them (nested, cyclic)', async () => {
    const dan = await opened.database.tenant(ctx, (tx) => users.insert(tx, ctx, newUser('dan@acme.test'), origin));
    const [a, b, c] = await opened.database.tenant(ctx, async (tx) => [
      await groups.insert(tx, ctx, { displayName: 'Cycle A', externalId: null, resource: {} }, origin),
      await groups.insert(tx, ctx, { displayName: 'Cycle B', externalId: null, resource: {} }, origin),
      await groups.insert(tx, ctx, { displayName: 'Cycle C', externalId: null, resource: {} }, origin),
    ]);
    await opened.database.tenant(ctx, async (tx) => {
      await groups.addMembers(tx, ctx, a!.id, [{ value: dan.id, type: 'User' }]);
      await groups.addMembers(tx, ctx, b!.id, [{ value: a!.id, type: 'Group' }]);
      await groups.addMembers(tx, ctx, c!.id, [{ value: b!.id, type: 'Group' }, { value: dan.id, type: 'User' }]);
      await groups.addMembers(tx, ctx, a!.id, [{ value: c!.id, type: 'Group' }]);
    });
    const expected = await opened.database.tenant(ctx, (tx) => groups.groupsOf(tx, ctx, [dan.id]));
    const found = await opened.database.tenant(ctx, (tx) => users.find(tx, ctx, dan.id, { groups: true }));
    expect(found!.groups).toEqual(expected.get(dan.id));
    expect(found!.groups).toEqual(
      expect.arrayContaining([
        { value: a!.id, display: 'Cycle A', type: 'direct' },
        { value: b!.id, display: 'Cycle B', type: 'indirect' },
        { value: c!.id, display: 'Cycle C', type: 'direct' },
      ]),
    );
    const locked = await opened.database.tenant(ctx, (tx) => users.findForUpdate(tx, ctx, dan.id, { groups: true }));
    expect(locked!.groups).toEqual(found!.groups);
    expect((await opened.database.tenant(ctx, (tx) => users.find(tx, ctx, dan.id)))!.groups).toBeUndefined();
    const page = await opened.database.tenant(ctx, (tx) =>
      users.list(tx, ctx, { where: `u.user_name = ANY($2)`, params: [ctx.organizationId, ['dan@acme.test', 'list-1@acme.test']], orderBy: 'u.user_name', descending: true, offset: 0, limit: 5 }, { groups: true }),
    );
    expect(page.total).toBe(2);
    expect(page.users.map((u) => [u.userName, u.groups?.length])).toEqual([
      ['list-1@acme.test', 0],
      ['dan@acme.test', 3],
    ]);
  });

  it('changes members in one statement: unknown ids write nothing, an existing member is no change', async () => {
    const [eve, fay] = await opened.database.tenant(ctx, async (tx) => [
      await users.insert(tx, ctx, newUser('eve@acme.test'), origin),
      await users.insert(tx, ctx, newUser('fay@acme.test'), origin),
    ]);
    const group = await opened.database.tenant(ctx, (tx) => groups.insert(tx, ctx, { displayName: 'Movers', externalId: null, resource: {} }, origin));
    const change = (add: { value: string; type: 'User' | 'Group' | null }[], remove: string[] = []) =>
      opened.database.tenant(ctx, (tx) => groups.changeMembers(tx, ctx, group.id, { add, remove }, origin));
    const outboxRows = () =>
      opened.database.tenant(ctx, (tx) => tx.query<{ changes: Record<string, unknown> }>(`SELECT changes FROM outbox WHERE resource_id = $1 ORDER BY id`, [group.id]));

    const ghost = randomUUID();
    const refused = await change([{ value: eve!.id, type: null }, { value: ghost, type: null }, { value: fay!.id, type: 'Group' }]);
    expect(refused).toEqual({ unknown: [{ value: ghost, type: null }, { value: fay!.id, type: 'Group' }], membersAdded: [], membersRemoved: [] });
    expect((await opened.database.tenant(ctx, (tx) => groups.members(tx, ctx, [group.id]))).get(group.id)).toEqual([]);

    const added = await change([{ value: eve!.id, type: 'User' }, { value: fay!.id, type: null }]);
    expect(added).toMatchObject({ unknown: [], membersAdded: [eve!.id, fay!.id], membersRemoved: [], group: { id: group.id, version: 2 } });
    const again = await change([{ value: eve!.id, type: null }]);
    expect(again).toEqual({ unknown: [], membersAdded: [], membersRemoved: [] });
    const swapped = await change([], [fay!.id]);
    expect(swapped).toMatchObject({ membersAdded: [], membersRemoved: [fay!.id], group: { version: 3 } });
    expect((await opened.database.tenant(ctx, (tx) => groups.find(tx, ctx, group.id)))!.version).toBe(3);
    expect((await outboxRows()).map((r) => r.changes)).toEqual([
      { operation: 'created' },
      { operation: 'members_changed', changedAttributes: ['members'], membersAdded: [eve!.id, fay!.id], membersRemoved: [] },
      { operation: 'members_changed', changedAttributes: ['members'], membersAdded: [], membersRemoved: [fay!.id] },
    ]);
    const [audit] = await opened.database.tenant(ctx, (tx) =>
      tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE resource_id = $1 AND action = 'group.updated'`, [group.id]),
    );
    expect(audit!.n).toBe(2);
  });
});
