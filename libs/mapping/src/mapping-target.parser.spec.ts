import { parseMappingTarget, targetsOverlap, type MappingTarget } from './mapping-target.parser';

const target = (text: string): MappingTarget => {
  const parsed = parseMappingTarget(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.target;
};

describe('parseMappingTarget', () => {
  it.each(['email_address', 'first_name', 'last_name', 'external_id', 'active', 'organization_role'])('first-class field %s', (field) => {
    expect(target(field)).toEqual({ kind: 'field', field, text: field });
  });

  it.each([
    ['public_metadata.department', 'public_metadata', ['department']],
    ['private_metadata.hr.employee-number', 'private_metadata', ['hr', 'employee-number']],
    ['public_metadata.a.b.c.d.e', 'public_metadata', ['a', 'b', 'c', 'd', 'e']],
  ])('metadata %s', (text, field, path) => {
    expect(target(text)).toEqual({ kind: 'metadata', field, path, text });
  });

  it.each([
    ['', 'must not be empty'],
    ['Email_Address', 'unknown target'],
    ['metadata.x', 'unknown target'],
    ['public_metadata', 'needs a key'],
    ['public_metadata.', 'must be non-empty'],
    ['public_metadata.a b', 'letters, digits'],
    ['public_metadata.a.b.c.d.e.f', 'limited to 5 levels'],
    ['public_metadata.constructor', 'reserved'],
    ['private_metadata.x.prototype', 'reserved'],
    [`public_metadata.${'k'.repeat(65)}`, 'longer than 64'],
    [`public_metadata.${'k.'.repeat(200)}k`, 'longer than 256'],
  ])('refuses %j (%s)', (text, message) => {
    const parsed = parseMappingTarget(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('targetsOverlap', () => {
  it.each([
    ['public_metadata.org', 'public_metadata.org.department', true],
    ['public_metadata.org.department', 'public_metadata.org', true],
    ['public_metadata.org', 'public_metadata.org', false],
    ['public_metadata.org', 'private_metadata.org.department', false],
    ['public_metadata.org', 'public_metadata.organization', false],
    ['public_metadata.a.b', 'public_metadata.a.c', false],
    ['first_name', 'public_metadata.first_name', false],
  ])('%s / %s → %s', (a, b, expected) => {
    expect(targetsOverlap(target(a), target(b))).toBe(expected);
  });
});
