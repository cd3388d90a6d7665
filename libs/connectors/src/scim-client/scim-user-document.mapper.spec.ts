import type { DesiredUser } from '../app-connector';
import { ConnectorError } from '../connector-error';
import { SCIM_ATTRIBUTE_FALLBACKS, SCIM_DEFAULT_ATTRIBUTE_MAPPING } from '../scim/scim.connector';
import { buildScimUser, compileScimUserMapping, parseScimTarget, scimReplaceOperations } from './scim-user-document.mapper';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const user: DesiredUser = {
  id: 'delta-1',
  userName: 'ada@idp.example',
  externalId: 'idp-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  displayName: null,
  active: true,
  scim: { title: 'Countess', [ENTERPRISE]: { department: 'Math', manager: { value: 'm1' } } },
  profile: { email_address: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
};
const mapping = (overrides?: unknown) => compileScimUserMapping(SCIM_DEFAULT_ATTRIBUTE_MAPPING, overrides, SCIM_ATTRIBUTE_FALLBACKS);

describe('parseScimTarget', () => {
  it.each([
    ['title', { attr: 'title' }],
    ['name.givenName', { attr: 'name', sub: 'givenName' }],
    ['emails[type eq "work"].value', { attr: 'emails', filter: { attr: 'type', value: 'work' }, sub: 'value' }],
    ['phoneNumbers[primary eq true]', { attr: 'phoneNumbers', filter: { attr: 'primary', value: true } }],
    [`${ENTERPRISE}:department`, { urn: ENTERPRISE, attr: 'department' }],
    [`${ENTERPRISE}:manager.value`, { urn: ENTERPRISE, attr: 'manager', sub: 'value' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:title', { attr: 'title' }],
  ])('%s', (target, parsed) => {
    expect(parseScimTarget(target)).toEqual(parsed);
  });

  it.each(['bad path!', 'a.b.c', 'externalId', 'active', 'id', 'emails[type co "w"]'])('refuses %s', (target) => {
    expect(() => parseScimTarget(target)).toThrow();
  });
});

describe('buildScimUser', () => {
  it('maps the defaults, falls back to the DesiredUser, sets externalId ← Delta id and active', () => {
    expect(buildScimUser(mapping(), user)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
      displayName: 'Ada Lovelace',
      externalId: 'delta-1',
      active: true,
    });
  });

  it('falls back to the IdP userName when there is no email, and omits externalId when asked', () => {
    const doc = buildScimUser(mapping(), { ...user, email: null, profile: {} }, { externalId: false });
    expect(doc.userName).toBe('ada@idp.example');
    expect(doc).not.toHaveProperty('emails');
    expect(doc).not.toHaveProperty('externalId');
  });

  it('applies overrides: null drops a default, scim: and extension targets, extension schema listed', () => {
    const doc = buildScimUser(mapping({ displayName: null, title: `scim:${ENTERPRISE}:department`, [`${ENTERPRISE}:manager.value`]: `scim:${ENTERPRISE}:manager.value` }), user);
    expect(doc).not.toHaveProperty('displayName');
    expect(doc).toMatchObject({ title: 'Math', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { manager: { value: 'm1' } } });
  });

  it('rejects a bad source or target as a permanent ConnectorError', () => {
    expect(() => mapping({ title: 'Not A Field' })).toThrow(ConnectorError);
    expect(() => mapping({ 'x y': 'first_name' })).toThrow(/not a SCIM attribute path/);
    expect(() => mapping([])).toThrow(/must be an object/);
  });
});

describe('scimReplaceOperations', () => {
  it('one replace per top-level attribute and per extension attribute, never schemas', () => {
    expect(scimReplaceOperations({ schemas: ['x'], userName: 'a', name: { givenName: 'A' }, [ENTERPRISE]: { department: 'D' }, active: false })).toEqual([
      { op: 'replace', path: 'userName', value: 'a' },
      { op: 'replace', path: 'name', value: { givenName: 'A' } },
      { op: 'replace', path: `${ENTERPRISE}:department`, value: 'D' },
      { op: 'replace', path: 'active', value: false },
    ]);
  });
});
