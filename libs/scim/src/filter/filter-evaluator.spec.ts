import type { AttributeDefinition, AttributeType } from '../schema/schema-definition';
import { matchesFilter } from './filter-evaluator';
import { parseFilter } from './filter.parser';

const sub = (name: string, type: AttributeType, caseExact = false): AttributeDefinition => ({
  name,
  type,
  caseExact,
  multiValued: false,
  description: name,
  required: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
});

const SUBS: readonly AttributeDefinition[] = [
  sub('value', 'string'),
  sub('type', 'string'),
  sub('display', 'string'),
  sub('primary', 'boolean'),
  sub('code', 'string', true),
  sub('rank', 'integer'),
  sub('weight', 'decimal'),
  sub('since', 'dateTime'),
  { ...sub('tags', 'string'), multiValued: true },
];

const EMAIL = { type: 'work', value: 'Babs.Jensen@Example.com', primary: true, display: 'Babs', code: 'AbC', rank: 3, weight: 2.5, since: '2011-05-13T04:42:34Z' };

const matches = (filter: string, element: unknown, subAttributes: readonly AttributeDefinition[] = SUBS): boolean =>
  matchesFilter(parseFilter(filter), element, subAttributes);

describe('matchesFilter', () => {
  describe('on an email element', () => {
    it.each<[string, boolean]>([
      // eq / ne, case-insensitive by default (RFC 7644 §3.4.2.2)
      ['type eq "work"', true],
      ['type eq "WORK"', true],
      ['TYPE eq "work"', true],
      ['Type eq "Work"', true],
      ['type eq "home"', false],
      ['type ne "home"', true],
      ['type ne "WORK"', false],
      ['value eq "babs.jensen@example.com"', true],
      // caseExact sub-attribute
      ['code eq "AbC"', true],
      ['code eq "abc"', false],
      ['code ne "abc"', true],
      ['code co "bC"', true],
      ['code co "bc"', false],
      ['code sw "Ab"', true],
      ['code sw "ab"', false],
      ['code ew "C"', true],
      ['code ew "c"', false],
      ['code gt "ABC"', true],
      ['code lt "abc"', true],
      // co / sw / ew
      ['value co "jensen"', true],
      ['value co "JENSEN"', true],
      ['value co "smith"', false],
      ['value sw "babs"', true],
      ['value sw "jensen"', false],
      ['value ew "@EXAMPLE.COM"', true],
      ['value ew "@example.org"', false],
      ['value co ""', true],
      ['rank co "3"', false],
      ['primary co "t"', false],
      // ordering on strings (lexical), numbers, dateTimes
      ['type gt "home"', true],
      ['type gt "WORK"', false],
      ['type ge "WORK"', true],
      ['type lt "zzz"', true],
      ['type le "work"', true],
      ['type lt "work"', false],
      ['rank eq 3', true],
      ['rank eq 3.0', true],
      ['rank eq "3"', true],
      ['rank ne 3', false],
      ['rank gt 2', true],
      ['rank gt 3', false],
      ['rank ge 3', true],
      ['rank lt 10', true],
      ['rank le 2', false],
      ['rank gt "2"', true],
      ['rank eq "three"', false],
      ['weight gt 2.4', true],
      ['weight lt 2.5e0', false],
      ['weight le 25e-1', true],
      ['since gt "2011-05-13T04:42:33Z"', true],
      ['since gt "2011-05-13T04:42:34Z"', false],
      ['since ge "2011-05-13T04:42:34Z"', true],
      ['since eq "2011-05-13T04:42:34.000Z"', true],
      ['since eq "2011-05-13T06:42:34+02:00"', true],
      ['since lt "2012-01-01T00:00:00Z"', true],
      ['since le "2010-01-01T00:00:00Z"', false],
      ['since sw "2011-05"', true],
      ['since gt "not a date"', false],
      // booleans
      ['primary eq true', true],
      ['primary eq True', true],
      ['primary eq false', false],
      ['primary ne false', true],
      ['primary eq "true"', false],
      ['primary gt false', false],
      ['primary ge true', false],
      ['primary lt true', false],
      ['type eq true', false],
      // pr
      ['value pr', true],
      ['primary pr', true],
      ['missing pr', false],
      // missing attributes: false except ne
      ['missing eq "x"', false],
      ['missing ne "x"', true],
      ['missing co "x"', false],
      ['missing gt 1', false],
      ['missing lt "z"', false],
      // null
      ['missing eq null', true],
      ['missing ne null', false],
      ['type eq null', false],
      ['type ne null', true],
      ['type gt null', false],
      // an unquoted word is the string it spells (Microsoft docs: `externalId eq jyoung`)
      ['display eq babs', true],
      // logic
      ['type eq "work" and primary eq true', true],
      ['type eq "work" and primary eq false', false],
      ['type eq "home" or primary eq true', true],
      ['type eq "home" or primary eq false', false],
      ['not (type eq "home")', true],
      ['not (type eq "work")', false],
      ['not (type eq "home") and (value ew "example.com" or value ew "example.org")', true],
      ['type eq "work" and not (missing pr)', true],
    ])('%s → %s', (filter, expected) => {
      expect(matches(filter, EMAIL)).toBe(expected);
    });
  });

  describe('empty values are not present (RFC 7644 §3.4.2.2 "pr")', () => {
    it.each<[unknown, boolean]>([
      [{ value: 'x' }, true],
      [{ value: '' }, false],
      [{ value: null }, false],
      [{ value: [] }, false],
      [{ value: [null, ''] }, false],
      [{ value: ['a'] }, true],
      [{ value: 0 }, true],
      [{ value: false }, true],
      [{ value: {} }, true],
      [{}, false],
    ])('%j', (element, expected) => {
      expect(matches('value pr', element)).toBe(expected);
      expect(matches('value eq null', element)).toBe(!expected);
    });
  });

  describe('group members', () => {
    const member = { value: '2819c223-7f76-453a-919d-413861904646', type: 'User', display: 'Babs Jensen' };
    it.each<[string, boolean]>([
      ['value eq "2819c223-7f76-453a-919d-413861904646"', true],
      ['value eq "2819C223-7F76-453A-919D-413861904646"', true],
      ['value eq "a" or value eq "2819c223-7f76-453a-919d-413861904646"', true],
      ['value eq "a" or value eq "b"', false],
      ['type eq "user"', true],
      ['display sw "babs"', true],
      ['$ref pr', false],
    ])('%s → %s', (filter, expected) => {
      expect(matches(filter, member, [sub('value', 'string'), sub('type', 'string'), sub('display', 'string')])).toBe(expected);
    });

    it('matches a member with an unquoted numeric id', () => {
      expect(matches('value eq 12345', { value: '12345' })).toBe(true);
    });
  });

  describe('primitive elements are matched by "value"', () => {
    it.each<[string, unknown, boolean]>([
      ['value eq "a@b.c"', 'A@B.C', true],
      ['VALUE eq "a@b.c"', 'a@b.c', true],
      ['value ne "a@b.c"', 'x', true],
      ['value sw "a"', 'abc', true],
      ['value gt 1', 2, true],
      ['value eq 2', 2, true],
      ['value eq true', true, true],
      ['value pr', 'x', true],
      ['value pr', '', false],
      ['type eq "work"', 'work', false],
      ['type ne "work"', 'work', true],
      ['value.sub eq "x"', 'x', false],
    ])('%s on %j → %s', (filter, element, expected) => {
      expect(matches(filter, element, [])).toBe(expected);
    });
  });

  describe('strange elements never throw', () => {
    const elements: unknown[] = [
      null,
      undefined,
      0,
      NaN,
      '',
      'text',
      true,
      [],
      [{ type: 'work' }],
      {},
      { type: null },
      { type: ['work', 'home'] },
      { type: { nested: 'work' } },
      { type: 42 },
      { value: Symbol.for('x') },
      Object.create(null),
      { since: 'garbage' },
      { rank: 'NaN' },
    ];
    const filters = [
      'type eq "work"',
      'type ne "work"',
      'type co "o"',
      'type gt "a"',
      'type pr',
      'since gt "2011-01-01T00:00:00Z"',
      'rank gt 1',
      'value eq null',
      'not (type eq "work") or value pr',
      'emails[type eq "work"]',
      'emails[type eq "work"].value eq "x"',
    ];
    it.each(filters.flatMap((filter) => elements.map((element): [string, unknown] => [filter, element])))('%s on %p', (filter, element) => {
      expect(() => matches(filter, element)).not.toThrow();
    });

    it('copes with missing or odd definitions', () => {
      expect(matchesFilter(parseFilter('type eq "WORK"'), { type: 'work' }, [])).toBe(true);
      expect(matchesFilter(parseFilter('type eq "WORK"'), { type: 'work' }, undefined as unknown as AttributeDefinition[])).toBe(true);
      expect(matchesFilter(parseFilter('type eq "WORK"'), { type: 'work' }, [null, {}] as unknown as AttributeDefinition[])).toBe(true);
    });
  });

  describe('multi-valued and nested values', () => {
    it.each<[string, unknown, boolean]>([
      ['tags eq "b"', { tags: ['a', 'B'] }, true],
      ['tags eq "c"', { tags: ['a', 'b'] }, false],
      ['tags ne "c"', { tags: ['a', 'b'] }, true],
      ['tags co "x"', { tags: [] }, false],
      ['type eq "work"', { type: { value: 'work' } }, false],
      ['Type eq "work"', { TYPE: 'work' }, true],
      ['type eq "work"', { Type: 'home', type: 'work' }, true],
      ['emails[type eq "work"]', { emails: [{ type: 'home' }, { type: 'work' }] }, true],
      ['emails[type eq "other"]', { emails: [{ type: 'home' }, { type: 'work' }] }, false],
      ['emails[type eq "work"].value eq "x"', { emails: [{ type: 'work', value: 'X' }] }, true],
      ['emails[type eq "work"].value eq "x"', { emails: [{ type: 'work', value: 'y' }, { type: 'home', value: 'x' }] }, false],
      ['name.givenName eq "babs"', { name: { givenName: 'Babs' } }, true],
      ['emails.value eq "x"', { emails: [{ value: 'a' }, { value: 'X' }] }, true],
      [`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales"`, { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' } }, true],
    ])('%s on %j → %s', (filter, element, expected) => {
      expect(matches(filter, element)).toBe(expected);
    });
  });
});
