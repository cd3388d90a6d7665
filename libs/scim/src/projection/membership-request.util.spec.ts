import { returnsMemberships } from './membership-request.util';

describe('returnsMemberships', () => {
  it.each([
    [{}, true],
    [{ excludedAttributes: ['members'] }, false],
    [{ excludedAttributes: ['MEMBERS'] }, false],
    [{ excludedAttributes: ['urn:ietf:params:scim:schemas:core:2.0:Group:members'] }, false],
    [{ excludedAttributes: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, false],
    [{ excludedAttributes: ['displayName'] }, true],
    [{ excludedAttributes: ['members.display'] }, true],
    [{ excludedAttributes: ['members.value', 'members.$ref', 'members.display', 'members.type'] }, false],
    [{ attributes: ['displayName'] }, false],
    [{ attributes: ['id'] }, false],
    [{ attributes: ['members'] }, true],
    [{ attributes: ['members.value'] }, true],
    [{ attributes: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, true],
    [{ attributes: ['members'], excludedAttributes: ['members'] }, false],
  ])('Group %j → %s', (request, expected) => {
    expect(returnsMemberships('Group', request)).toBe(expected);
  });

  it.each([
    [{}, true],
    [{ excludedAttributes: ['groups'] }, false],
    [{ attributes: ['userName'] }, false],
    [{ attributes: ['groups.value'] }, true],
    [{ attributes: ['members'] }, false],
  ])('User %j → %s', (request, expected) => {
    expect(returnsMemberships('User', request)).toBe(expected);
  });
});
