import { CORE_GROUP_SCHEMA } from '../schema/schema-definition';
import { prepareGroupForWrite } from './group-write.preparer';

describe('prepareGroupForWrite', () => {
  it('Entra create: members returned apart from the document', () => {
    const prepared = prepareGroupForWrite({
      schemas: [CORE_GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Group1DisplayName',
      members: [{ value: 'u1' }, { value: 'u2', type: 'user' }],
      meta: { resourceType: 'Group' },
    });
    expect(prepared.resource).toEqual({ externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Group1DisplayName' });
    expect(prepared).toMatchObject({ displayName: 'Group1DisplayName', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    expect(prepared.members).toEqual([{ value: 'u1' }, { value: 'u2', type: 'User' }]);
    expect(prepared.changedAttributes).toEqual(['externalId', 'displayName']);
  });

  it('no members key → members undefined; empty or null → []', () => {
    expect(prepareGroupForWrite({ displayName: 'G' }).members).toBeUndefined();
    expect(prepareGroupForWrite({ displayName: 'G', members: [] }).members).toEqual([]);
    expect(prepareGroupForWrite({ displayName: 'G', members: null }).members).toEqual([]);
  });

  it('Okta PUT rename keeps externalId null when absent and reports the rename', () => {
    const prepared = prepareGroupForWrite(
      { schemas: [CORE_GROUP_SCHEMA], id: 'g1', displayName: 'Renamed', members: [{ value: 'u1', display: 'u1@x' }] },
      { existing: { displayName: 'Original' } },
    );
    expect(prepared.externalId).toBeNull();
    expect(prepared.changedAttributes).toEqual(['displayName']);
    expect(prepared.members).toEqual([{ value: 'u1' }]);
  });

  it('a stored document that still holds members is read without them', () => {
    const prepared = prepareGroupForWrite({ displayName: 'G' }, { existing: { displayName: 'G', members: [{ value: 'x' }] } });
    expect(prepared.changedAttributes).toEqual([]);
  });

  it.each([
    [{ members: [] }, 'displayName'],
    [{ displayName: '' }, 'displayName'],
    [{ displayName: 'G', members: [{ display: 'no value' }] }, 'members[0].value'],
    [{ displayName: 'G', members: [{ value: '' }] }, 'members[0].value'],
    [{ displayName: 'G', members: [{ value: 'u', type: 'Device' }] }, 'members[0].type'],
    [{ displayName: 'G', members: [5] }, 'members[0]'],
  ])('%j → 400 invalidValue (%s)', (body, mention) => {
    expect(() => prepareGroupForWrite(body)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue', detail: expect.stringContaining(mention) }));
  });
});
