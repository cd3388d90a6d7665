import { parseAttributeList } from './attribute-list.parser';

describe('parseAttributeList', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    [' , ,', undefined],
    ['userName', ['userName']],
    ['userName,name.givenName', ['userName', 'name.givenName']],
    [' userName , emails ', ['userName', 'emails']],
    ['userName,USERNAME', ['userName']],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department,id', ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'id']],
    [['userName', 'emails,id'], ['userName', 'emails', 'id']],
    [[], undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseAttributeList(input as string | string[] | undefined)).toEqual(expected);
  });
});
