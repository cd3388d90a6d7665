import { defineAttribute, stringAttribute } from '../schema/attribute-definition.factory';
import type { ResourceSchemas } from '../schema/schema-definition';
import { keepImmutableAttributes } from './immutable-attributes.util';

// No core User or Group attribute is immutable at the top level, so a schema made for the test.
const SCHEMAS: ResourceSchemas = {
  core: { id: 'urn:test:core', name: 'T', description: '', attributes: [stringAttribute('badge', '', { mutability: 'immutable' }), stringAttribute('title', '')] },
  extensions: [{ id: 'urn:test:ext', name: 'E', description: '', attributes: [defineAttribute('hired', 'dateTime', '', { mutability: 'immutable' })] }],
};

describe('keepImmutableAttributes (RFC 7644 §3.5.1)', () => {
  it('allows setting an immutable attribute that has no value', () => {
    expect(keepImmutableAttributes(SCHEMAS, {}, { badge: 'b1' })).toEqual({ badge: 'b1' });
  });
  it('allows the same value', () => {
    expect(keepImmutableAttributes(SCHEMAS, { badge: 'b1' }, { badge: 'b1', title: 't' })).toEqual({ badge: 'b1', title: 't' });
  });
  it('carries an omitted immutable value over', () => {
    expect(keepImmutableAttributes(SCHEMAS, { badge: 'b1', 'urn:test:ext': { hired: '2020-01-01T00:00:00Z' } }, { title: 't' })).toEqual({
      title: 't',
      badge: 'b1',
      'urn:test:ext': { hired: '2020-01-01T00:00:00Z' },
    });
  });
  it('rejects a change with 400 mutability', () => {
    expect(() => keepImmutableAttributes(SCHEMAS, { badge: 'b1' }, { badge: 'b2' })).toThrow(expect.objectContaining({ status: 400, scimType: 'mutability' }));
    expect(() => keepImmutableAttributes(SCHEMAS, { 'urn:test:ext': { hired: '2020-01-01T00:00:00Z' } }, { 'urn:test:ext': { hired: '2021-01-01T00:00:00Z' } })).toThrow(
      expect.objectContaining({ detail: expect.stringContaining('urn:test:ext:hired') }),
    );
  });
});
