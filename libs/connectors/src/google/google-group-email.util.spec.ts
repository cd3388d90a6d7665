import { DEFAULT_GROUP_EMAIL_TEMPLATE, checkGroupEmailTemplate, renderGroupEmail, slugifyGroupName } from './google-group-email.util';

describe('group email template', () => {
  it.each([
    ['Engineering Team', 'engineering-team'],
    ['R&D / Zürich', 'r-d-zurich'],
    ['  --Sales__EMEA--  ', 'sales-emea'],
    ['Équipe Ops', 'equipe-ops'],
    ['営業', ''],
  ])('slugifies %j as %j', (name, slug) => {
    expect(slugifyGroupName(name)).toBe(slug);
  });

  it('caps slugs at 60 characters without a trailing dash', () => {
    const slug = slugifyGroupName(`${'a'.repeat(59)} b c`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('renders the placeholders', () => {
    const group = { id: 'B1C2', displayName: 'Engineering Team', externalId: 'okta-9' };
    expect(renderGroupEmail(DEFAULT_GROUP_EMAIL_TEMPLATE, group, 'Example.com')).toBe('engineering-team@example.com');
    expect(renderGroupEmail('delta-{id}@groups.example.com', group, undefined)).toBe('delta-b1c2@groups.example.com');
    expect(renderGroupEmail('{external_id}@{domain}', { ...group, externalId: null }, 'example.com')).toBe('b1c2@example.com');
    expect(renderGroupEmail('{external_id}@{domain}', group, 'example.com')).toBe('okta-9@example.com');
  });

  it('falls back to the id when the name has nothing ASCII', () => {
    expect(renderGroupEmail('{slug}@example.com', { id: 'abc-123', displayName: '営業', externalId: null }, undefined)).toBe('group-abc-123@example.com');
  });

  it('refuses addresses Google would not take', () => {
    expect(() => renderGroupEmail('{slug}@{domain}', { id: '1', displayName: 'Ops', externalId: null }, '')).toThrow(/not a valid Google group email/);
    expect(() => renderGroupEmail('{external_id}@example.com', { id: '1', displayName: 'Ops', externalId: 'a b' }, undefined)).toThrow(/"a b@example.com"/);
  });

  it('checks templates when the connection is built', () => {
    expect(checkGroupEmailTemplate('{slug}@{domain}', 'example.com')).toBeUndefined();
    expect(checkGroupEmailTemplate('{slug}', 'example.com')).toMatch(/must contain "@"/);
    expect(checkGroupEmailTemplate('{name}@example.com', 'example.com')).toMatch(/unknown placeholder \{name\}/);
    expect(checkGroupEmailTemplate('{slug}@{domain}', undefined)).toMatch(/config.domain/);
  });
});
