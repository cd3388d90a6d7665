import type { EmulatorResponse } from '../support';
import { type GoogleState, SCOPES, etag, newUser } from './google-emulator.state';
import { type GoogleCall, type GoogleRoute, duplicate, googleError, invalid, notFound, ok, page } from './google-http.types';
import { userQuery } from './google-user-query.util';

const WRITE = [SCOPES.user];
const READ = [SCOPES.user, SCOPES.userReadonly];
const SECURITY = [SCOPES.userSecurity, SCOPES.user];
/** Output-only fields a client may send back but cannot set (§3.1 "User fields"). */
const OUTPUT_ONLY = ['id', 'kind', 'etag', 'customerId', 'isAdmin', 'isDelegatedAdmin', 'aliases', 'nonEditableAliases', 'creationTime', 'lastLoginTime', 'suspensionReason', 'isMailboxSetup', 'agreedToTerms'];
/** Writable fields PUT clears when omitted (§3.1 users.update "Fields you omit may be cleared"). */
const CLEARABLE = ['externalIds', 'organizations', 'phones', 'addresses', 'relations', 'customSchemas', 'recoveryEmail', 'recoveryPhone'];

export interface GoogleUserOptions {
  /** Known org units; `orgUnitPath` must name one (top level `/`, §3.1). */
  orgUnits: Set<string>;
}

/** Admin SDK Directory users (reference §3.1 table), plus signOut and tokens [not in the reference]. */
export function googleUserRoutes(state: GoogleState, options: GoogleUserOptions): GoogleRoute[] {
  const route = (method: string, pattern: string, scopes: readonly string[], handler: (call: GoogleCall) => EmulatorResponse): GoogleRoute => ({
    method,
    pattern: `/admin/directory/v1${pattern}`,
    scopes,
    delegated: true,
    handler,
  });
  const withUser = (call: GoogleCall, then: (user: Record<string, any>) => EmulatorResponse) => {
    const user = state.findUser(call.params.userKey);
    return user ? then(user) : notFound('userKey');
  };
  const emailTaken = (email: string, exceptId?: string) =>
    Boolean(state.findGroup(email)) || [...state.users.values()].some((u) => u.id !== exceptId && [u.primaryEmail, ...(u.aliases ?? [])].some((e: string) => e.toLowerCase() === email.toLowerCase()));
  const writable = (body: Record<string, any>) => Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !OUTPUT_ONLY.includes(k) && k !== 'password' && k !== 'hashFunction'));
  /** Shared checks of insert/update/patch: name length, OU, unique primary email (§3.1). */
  const check = (draft: Record<string, any>, exceptId?: string): EmulatorResponse | undefined => {
    if (!draft.primaryEmail) return invalid('primary_user_email');
    if (!draft.name?.givenName || !draft.name?.familyName) return googleError(400, 'invalid', 'Invalid Given/Family Name: GivenName and FamilyName are required');
    if (draft.name.givenName.length > 60 || draft.name.familyName.length > 60) return googleError(400, 'invalid', 'Invalid Given/Family Name: at most 60 characters');
    if (draft.orgUnitPath !== undefined && !options.orgUnits.has(draft.orgUnitPath)) return invalid('INVALID_OU_ID');
    if (emailTaken(draft.primaryEmail, exceptId)) return duplicate();
    return undefined;
  };
  /** Renaming keeps the old address as an alias, so the user stays reachable by it. */
  const save = (user: Record<string, any>, draft: Record<string, any>): EmulatorResponse => {
    if (draft.primaryEmail.toLowerCase() !== user.primaryEmail.toLowerCase()) draft.aliases = [...new Set([...(user.aliases ?? []), user.primaryEmail])];
    draft.name.fullName = `${draft.name.givenName} ${draft.name.familyName}`;
    draft.emails = [{ address: draft.primaryEmail, primary: true }, ...(draft.emails ?? []).filter((e: any) => !e.primary && e.address !== draft.primaryEmail)];
    draft.suspensionReason = draft.suspended ? (user.suspensionReason ?? 'ADMIN') : undefined;
    Object.keys(user).forEach((k) => delete user[k]);
    Object.assign(user, draft, { etag: etag() });
    return ok(user);
  };

  return [
    route('POST', '/users', WRITE, (call) => {
      // Required on create: primaryEmail, name.givenName, name.familyName, password (§3.1).
      if (!call.body?.password) return googleError(400, 'invalid', 'Invalid Password');
      const problem = check(call.body ?? {});
      if (problem) return problem;
      const user = newUser(state.customerId, writable(call.body));
      state.users.set(user.id, user);
      return ok(user);
    }),
    route('GET', '/users', READ, (call) => {
      // `customer` or `domain` is required on list calls (§3.1 "Key parameters", §4.3).
      const customer = call.query.get('customer');
      const domain = call.query.get('domain');
      if (!customer && !domain) return googleError(400, 'badRequest', 'Bad Request');
      const match = userQuery(call.query.get('query'));
      if (!match) return invalid('query');
      const source = call.query.get('showDeleted') === 'true' ? state.deletedUsers : state.users;
      const orderBy = call.query.get('orderBy') ?? 'email';
      const key = (u: Record<string, any>) => (orderBy === 'givenName' ? u.name.givenName : orderBy === 'familyName' ? u.name.familyName : u.primaryEmail).toLowerCase();
      const all = [...source.values()]
        .filter((u) => !domain || u.primaryEmail.toLowerCase().endsWith(`@${domain.toLowerCase()}`))
        .filter(match)
        .sort((a, b) => key(a).localeCompare(key(b)) * (call.query.get('sortOrder') === 'DESCENDING' ? -1 : 1));
      // maxResults default 100, max 500 [unconfirmed, §5]; an empty page omits `users`.
      const result = page(call.query, all, 100, 500);
      if ('status' in result) return result;
      return ok({ kind: 'admin#directory#users', etag: etag(), ...(result.items.length > 0 ? { users: result.items } : {}), ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}) });
    }),
    route('GET', '/users/:userKey', READ, (call) => withUser(call, (user) => ok(user))),
    route('PUT', '/users/:userKey', WRITE, (call) =>
      withUser(call, (user) => {
        const kept = Object.fromEntries(Object.entries(user).filter(([k]) => !CLEARABLE.includes(k)));
        const draft = { ...kept, ...writable(call.body) };
        return check(draft, user.id) ?? save(user, draft);
      }),
    ),
    route('PATCH', '/users/:userKey', WRITE, (call) =>
      withUser(call, (user) => {
        const body = writable(call.body);
        const draft = { ...structuredClone(user), ...body, name: { ...user.name, ...(body.name ?? {}) } };
        return check(draft, user.id) ?? save(user, draft);
      }),
    ),
    route('DELETE', '/users/:userKey', WRITE, (call) =>
      withUser(call, (user) => {
        state.users.delete(user.id);
        state.deletedUsers.set(user.id, { ...user, deletionTime: new Date().toISOString() });
        for (const members of state.members.values()) members.delete(user.id);
        return { status: 204 };
      }),
    ),
    route('POST', '/users/:userKey/undelete', WRITE, (call) => {
      // Only the immutable id reaches a deleted user (§3.1 users.delete; window [unconfirmed]).
      const deleted = state.deletedUsers.get(call.params.userKey);
      if (!deleted) return notFound('userKey');
      if (emailTaken(deleted.primaryEmail)) return duplicate();
      const { deletionTime: _deletionTime, ...user } = deleted;
      state.deletedUsers.delete(user.id);
      state.users.set(user.id, { ...user, orgUnitPath: call.body?.orgUnitPath ?? user.orgUnitPath });
      return { status: 204 };
    }),
    route('POST', '/users/:userKey/signOut', SECURITY, (call) =>
      withUser(call, (user) => {
        state.signOuts.set(user.id, (state.signOuts.get(user.id) ?? 0) + 1);
        return { status: 204 };
      }),
    ),
    route('GET', '/users/:userKey/tokens', SECURITY, (call) =>
      withUser(call, (user) =>
        ok({ kind: 'admin#directory#tokenList', etag: etag(), items: (state.appTokens.get(user.id) ?? []).map((t) => ({ kind: 'admin#directory#token', etag: etag(), userKey: user.id, ...t })) }),
      ),
    ),
    route('DELETE', '/users/:userKey/tokens/:clientId', SECURITY, (call) =>
      withUser(call, (user) => {
        const tokens = state.appTokens.get(user.id) ?? [];
        if (!tokens.some((t) => t.clientId === call.params.clientId)) return googleError(404, 'notFound', 'Resource Not Found: clientId');
        state.appTokens.set(user.id, tokens.filter((t) => t.clientId !== call.params.clientId));
        return { status: 204 };
      }),
    ),
  ];
}
