import { ScimError } from '../errors/scim-error';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../schema/schema-definition';
import { prepareUserForWrite } from './user-write.preparer';

// POST /Users as Microsoft's documentation shows Entra sending it.
const ENTRA_CREATE = {
  schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations', manager: '26118915-6090-4610-87e4-49d8ca9f808d' },
};

// POST /Users as Okta's SCIM 2.0 reference shows it.
const OKTA_CREATE = {
  schemas: [CORE_USER_SCHEMA],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

// Google Workspace: userName without emails is possible (ARCHITECTURE.md principle 5).
const GOOGLE_CREATE = { schemas: [CORE_USER_SCHEMA], userName: 'jdoe@example.com', name: { givenName: 'J', familyName: 'Doe' }, active: true };

describe('prepareUserForWrite: create', () => {
  it('Entra body', () => {
    const prepared = prepareUserForWrite(ENTRA_CREATE);
    expect(prepared.resource).toEqual({
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
    });
    expect(prepared).toMatchObject({ userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1', externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', displayName: null, active: true });
    expect(prepared.password).toBeUndefined();
    expect(prepared.changedAttributes).toEqual([
      'externalId',
      'userName',
      'active',
      'emails',
      'name',
      `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
      `${ENTERPRISE_USER_SCHEMA}:department`,
      `${ENTERPRISE_USER_SCHEMA}:manager`,
    ]);
  });

  it('Okta body: password returned apart, groups ignored', () => {
    const prepared = prepareUserForWrite(OKTA_CREATE);
    expect(prepared.password).toBe('1mz050nq');
    expect(prepared.resource.password).toBeUndefined();
    expect(prepared.resource.groups).toBeUndefined();
    expect(prepared.displayName).toBe('Test User');
    expect(prepared.changedAttributes).toContain('password');
  });

  it('Google body without emails', () => {
    const prepared = prepareUserForWrite(GOOGLE_CREATE);
    expect(prepared.resource).toEqual({ userName: 'jdoe@example.com', name: { givenName: 'J', familyName: 'Doe' }, active: true });
  });

  it('a user created without active is active', () => {
    const prepared = prepareUserForWrite({ userName: 'u' });
    expect(prepared.active).toBe(true);
    expect(prepared.resource.active).toBe(true);
  });

  it('Entra "False" creates an inactive user', () => {
    expect(prepareUserForWrite({ userName: 'u', active: 'False' }).active).toBe(false);
  });

  it('missing userName → 400 invalidValue', () => {
    expect(() => prepareUserForWrite({ name: { givenName: 'x' } })).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});

describe('prepareUserForWrite: replace (PUT, RFC 7644 §3.5.1)', () => {
  const existing = {
    userName: 'bjensen',
    active: false,
    displayName: 'Babs',
    emails: [{ value: 'b@x.com', type: 'work' }],
    [ENTERPRISE_USER_SCHEMA]: { department: 'Eng' },
  };

  it('replaces and lists what changed', () => {
    const prepared = prepareUserForWrite({ userName: 'bjensen', displayName: 'Barbara', active: false, emails: [{ value: 'b@x.com', type: 'work' }] }, { existing });
    expect(prepared.resource).toEqual({ userName: 'bjensen', displayName: 'Barbara', active: false, emails: [{ value: 'b@x.com', type: 'work' }] });
    expect(prepared.changedAttributes).toEqual(['displayName', `${ENTERPRISE_USER_SCHEMA}:department`]);
  });

  it('an omitted active keeps the stored state', () => {
    const prepared = prepareUserForWrite({ userName: 'bjensen' }, { existing });
    expect(prepared.active).toBe(false);
    expect(prepared.changedAttributes).not.toContain('active');
  });

  it('nothing changed', () => {
    const prepared = prepareUserForWrite({ ...existing, id: 'ignored', meta: { version: 'W/"1"' } }, { existing });
    expect(prepared.changedAttributes).toEqual([]);
  });

  it('a password on PUT is reported but not stored', () => {
    const prepared = prepareUserForWrite({ ...existing, password: 'p' }, { existing });
    expect(prepared.changedAttributes).toEqual(['password']);
    expect(prepared.resource.password).toBeUndefined();
  });

  it('does not modify the stored document', () => {
    const stored = JSON.parse(JSON.stringify(existing));
    prepareUserForWrite({ userName: 'other' }, { existing: stored });
    expect(stored).toEqual(existing);
  });

  it('case-only change of userName is a change', () => {
    expect(prepareUserForWrite({ ...existing, userName: 'BJensen' }, { existing }).changedAttributes).toEqual(['userName']);
  });

  it('errors are ScimErrors', () => {
    expect(() => prepareUserForWrite({ userName: '' }, { existing })).toThrow(ScimError);
  });
});
