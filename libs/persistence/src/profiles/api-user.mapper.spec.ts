import { toApiUser } from './api-user.mapper';

describe('toApiUser', () => {
  const snapshot = {
    organization_id: 'org',
    id: '6c5b1c1e-0000-4000-8000-000000000001',
    user_name: 'ada@acme.test',
    resource: { userName: 'ada@acme.test' },
    password_hash: '$argon2id$secret',
    active: true,
    profile: {
      email_address: 'ada@acme.test',
      first_name: 'Ada',
      last_name: 'Lovelace',
      external_id: 'x-1',
      active: false,
      organization_role: 'admin',
      public_metadata: { department: 'R&D' },
      private_metadata: { cost_center: '42' },
    },
    created_at: '2026-01-02T03:04:05.123456+00:00',
    updated_at: '2026-01-02T03:04:06+00:00',
  };

  it('maps an outbox snapshot (to_jsonb of a users row) to the API user, allowlisted', () => {
    const user = toApiUser(snapshot, [{ id: 'g1', display_name: 'Admins' }]);
    expect(user).toEqual({
      id: snapshot.id,
      email_address: 'ada@acme.test',
      first_name: 'Ada',
      last_name: 'Lovelace',
      external_id: 'x-1',
      active: false,
      organization_role: 'admin',
      public_metadata: { department: 'R&D' },
      private_metadata: { cost_center: '42' },
      groups: [{ id: 'g1', display_name: 'Admins' }],
      created_at: '2026-01-02T03:04:05.123Z',
      updated_at: '2026-01-02T03:04:06.000Z',
    });
    expect(JSON.stringify(user)).not.toContain('argon2');
  });

  it('shows a never-mapped row with null fields and the SCIM active flag', () => {
    expect(toApiUser({ ...snapshot, profile: {}, active: false }, [])).toMatchObject({
      email_address: null,
      organization_role: null,
      active: false,
      public_metadata: {},
      groups: [],
    });
  });
});
