import { defineAttribute, multiValuedAttribute, stringAttribute } from './attribute-definition.factory';
import { CORE_USER_SCHEMA, SchemaDefinition } from './schema-definition';

/**
 * The core User schema as RFC 7643 §8.7.1 represents it (attributes described in §4.1).
 * Note: §8.7.1 gives userName "returned": "default", not "always"; only `id` (a common
 * attribute, §3.1) is always returned.
 */
export const USER_SCHEMA: SchemaDefinition = {
  id: CORE_USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    stringAttribute(
      'userName',
      'Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider\'s entire set of Users. REQUIRED.',
      { required: true, uniqueness: 'server' },
    ),
    defineAttribute('name', 'complex', `The components of the user's real name.`, {}, [
      stringAttribute('formatted', `The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.`),
      stringAttribute('familyName', 'The family name of the User, or last name in most Western languages.'),
      stringAttribute('givenName', 'The given name of the User, or first name in most Western languages.'),
      stringAttribute('middleName', 'The middle name(s) of the User.'),
      stringAttribute('honorificPrefix', `The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.').`),
      stringAttribute('honorificSuffix', `The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III').`),
    ]),
    stringAttribute('displayName', 'The name of the User, suitable for display to end-users.'),
    stringAttribute('nickName', 'The casual way to address the user in real life.'),
    defineAttribute('profileUrl', 'reference', `A fully qualified URL pointing to a page representing the User's online profile.`, { referenceTypes: ['external'] }),
    stringAttribute('title', `The user's title, such as "Vice President".`),
    stringAttribute('userType', 'Used to identify the relationship between the organization and the user, e.g. "Contractor" or "Employee".'),
    stringAttribute('preferredLanguage', `Indicates the User's preferred written or spoken language (RFC 7231 Accept-Language format).`),
    stringAttribute('locale', `Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.`),
    stringAttribute('timezone', `The User's time zone in the 'Olson' time zone database format, e.g. 'America/Los_Angeles'.`),
    defineAttribute('active', 'boolean', `A Boolean value indicating the User's administrative status.`),
    stringAttribute('password', `The User's cleartext password. Used to set or compare a password; never returned.`, {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedAttribute('emails', 'Email addresses for the user.', { type: 'string', description: 'Email addresses for the user, canonicalized per RFC 5321.' }, ['work', 'home', 'other']),
    multiValuedAttribute('phoneNumbers', 'Phone numbers for the User.', { type: 'string', description: 'Phone number of the User.' }, ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedAttribute('ims', 'Instant messaging addresses for the User.', { type: 'string', description: 'Instant messaging address for the User.' }, [
      'aim',
      'gtalk',
      'icq',
      'xmpp',
      'msn',
      'skype',
      'qq',
      'yahoo',
    ]),
    multiValuedAttribute(
      'photos',
      'URLs of photos of the User.',
      { type: 'reference', description: 'URL of a photo of the User.', referenceTypes: ['external'] },
      ['photo', 'thumbnail'],
    ),
    defineAttribute('addresses', 'complex', 'A physical mailing address for this User.', { multiValued: true }, [
      stringAttribute('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
      stringAttribute('streetAddress', 'The full street address component.'),
      stringAttribute('locality', 'The city or locality component.'),
      stringAttribute('region', 'The state or region component.'),
      stringAttribute('postalCode', 'The zip code or postal code component.'),
      stringAttribute('country', 'The country name component (ISO 3166-1 alpha-2).'),
      stringAttribute('type', `A label indicating the attribute's function, e.g., 'work' or 'home'.`, { canonicalValues: ['work', 'home', 'other'] }),
      // §8.7.1 lists no "primary" here, but §4.1.2 and §2.4 give every multi-valued attribute one.
      defineAttribute('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred address. Appears no more than once.`),
    ]),
    defineAttribute('groups', 'complex', 'A list of groups to which the user belongs, either through direct membership or nested groups.', { multiValued: true, mutability: 'readOnly' }, [
      stringAttribute('value', `The identifier of the User's group.`, { mutability: 'readOnly' }),
      defineAttribute('$ref', 'reference', `The URI of the corresponding 'Group' resource to which the user belongs.`, {
        mutability: 'readOnly',
        referenceTypes: ['User', 'Group'],
      }),
      stringAttribute('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
      stringAttribute('type', `A label indicating the attribute's function, e.g., 'direct' or 'indirect'.`, {
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      }),
    ]),
    multiValuedAttribute('entitlements', 'A list of entitlements for the User that represent a thing the User has.', { type: 'string', description: 'The value of an entitlement.' }),
    multiValuedAttribute('roles', 'A list of roles for the User that collectively represent who the User is, e.g., \'Student\', \'Faculty\'.', { type: 'string', description: 'The value of a role.' }),
    multiValuedAttribute('x509Certificates', 'A list of certificates issued to the User.', { type: 'binary', description: 'The value of an X.509 certificate (base64 DER).' }),
  ],
};
