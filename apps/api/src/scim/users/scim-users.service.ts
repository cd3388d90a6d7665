import { Injectable } from '@nestjs/common';
import { ScimError } from '@delta/scim/errors/scim-error';
import { Database, ScimUserReadOptions, ScimUserRecord, ScimUsersRepository, UserWrite, constraintOf, sqlStateOf } from '@delta/persistence';
import { hashSecret } from '../../auth/secret-hasher';
import { UserProfileService } from '../../mapping/user-profile.service';
import { Projection, PreparedUser, ScimProtocol } from '../protocol/scim-protocol';
import { etagOf, toScimUser } from '../resources/scim-representation.mapper';
import type { ScimResult } from '../resources/scim-reply.util';
import { ListResponse, LIST_RESPONSE_SCHEMA, ParsedList, ScimCall, assertIfMatch, originOf, resourceId, tenantOf } from '../resources/scim-request';

function userNameTaken(error: unknown, userName: string): never {
  if (sqlStateOf(error) === '23505' && constraintOf(error) === 'uq_users_user_name') {
    throw ScimError.conflict(`A user with userName "${userName}" already exists in this organization.`);
  }
  throw error;
}

/** The write minus the profile, which is mapped inside the transaction (see UserProfileService). */
async function toWrite(prepared: Omit<PreparedUser, 'ignoredAttributes'>): Promise<Omit<UserWrite, 'profile'>> {
  return {
    userName: prepared.userName,
    externalId: prepared.externalId,
    displayName: prepared.displayName,
    active: prepared.active,
    resource: prepared.resource,
    // Hashed outside the transaction: argon2 is slow on purpose and must not hold a connection.
    ...(prepared.password !== undefined ? { passwordHash: await hashSecret(prepared.password) } : {}),
  };
}

/** SCIM Users (RFC 7644 §3): every operation scoped to the caller's organization. */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly db: Database,
    private readonly users: ScimUsersRepository,
    private readonly protocol: ScimProtocol,
    private readonly profiles: UserProfileService,
  ) {}

  async create(call: ScimCall, body: unknown, projection: Projection): Promise<ScimResult> {
    const prepared = this.protocol.prepareUser(body);
    const write = await toWrite(prepared);
    const ctx = tenantOf(call);
    const user = await this.db
      .tenant(ctx, async (tx) => {
        const mapped = await this.profiles.compute(tx, ctx, write.resource);
        const created = await this.users.insert(tx, ctx, { ...write, profile: mapped.profile }, originOf(call, 201));
        await this.profiles.reconcile(tx, ctx, created, mapped.mapping);
        return created;
      })
      .catch((error: unknown) => userNameTaken(error, prepared.userName));
    call.audited();
    return this.result(call, user, projection, []);
  }

  async get(call: ScimCall, id: string, projection: Projection): Promise<ScimResult> {
    const ctx = tenantOf(call);
    const userId = resourceId(id, 'User');
    return this.db.tenant(ctx, async (tx) => {
      const user = await this.users.find(tx, ctx, userId, this.readFor(projection));
      if (!user) throw ScimError.notFound(`User ${id} not found`);
      return this.result(call, user, projection, user.groups);
    });
  }

  async replace(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<ScimResult> {
    const ctx = tenantOf(call);
    const userId = resourceId(id, 'User');
    return this.db
      .tenant(ctx, async (tx) => {
        const existing = await this.users.findForUpdate(tx, ctx, userId, this.readFor(projection));
        if (!existing) throw ScimError.notFound(`User ${id} not found`);
        assertIfMatch(ifMatch, etagOf(existing.version));
        const prepared = this.protocol.prepareUser(body, existing.resource);
        const mapped = await this.profiles.compute(tx, ctx, prepared.resource, existing);
        const updated = await this.users.update(
          tx,
          ctx,
          userId,
          { ...(await toWrite(prepared)), profile: mapped.profile },
          { operation: 'updated', changedAttributes: prepared.changedAttributes, profileChanges: mapped.profileChanges },
          originOf(call, 200),
        );
        await this.profiles.reconcile(tx, ctx, updated!, mapped.mapping);
        call.audited();
        return this.result(call, updated!, projection, existing.groups);
      })
      .catch((error: unknown) => userNameTaken(error, (body as { userName?: string })?.userName ?? ''));
  }

  async patch(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<ScimResult> {
    const ctx = tenantOf(call);
    const userId = resourceId(id, 'User');
    return this.db
      .tenant(ctx, async (tx) => {
        const existing = await this.users.findForUpdate(tx, ctx, userId, this.readFor(projection));
        if (!existing) throw ScimError.notFound(`User ${id} not found`);
        assertIfMatch(ifMatch, etagOf(existing.version));
        const patched = this.protocol.patchUser(existing.resource, body);
        // RFC 7644 §3.5.2: a PATCH that changes nothing leaves the version (and the outbox) alone.
        let user: ScimUserRecord | undefined = existing;
        if (patched.changed) {
          const mapped = await this.profiles.compute(tx, ctx, patched.resource, existing);
          user = await this.users.update(
            tx,
            ctx,
            userId,
            { ...(await toWrite(patched)), profile: mapped.profile },
            { operation: 'updated', changedAttributes: patched.changedAttributes, profileChanges: mapped.profileChanges },
            originOf(call, 200),
          );
          await this.profiles.reconcile(tx, ctx, user!, mapped.mapping);
        }
        if (patched.changed) call.audited();
        return this.result(call, user!, projection, existing.groups);
      })
      .catch((error: unknown) => userNameTaken(error, ''));
  }

  async delete(call: ScimCall, id: string, ifMatch: string | undefined): Promise<void> {
    const ctx = tenantOf(call);
    const userId = resourceId(id, 'User');
    await this.db.tenant(ctx, async (tx) => {
      const existing = await this.users.findForUpdate(tx, ctx, userId);
      if (!existing) throw ScimError.notFound(`User ${id} not found`);
      assertIfMatch(ifMatch, etagOf(existing.version));
      await this.users.delete(tx, ctx, userId, originOf(call, 204));
    });
    call.audited();
  }

  async list(call: ScimCall, list: ParsedList): Promise<ListResponse> {
    const ctx = tenantOf(call);
    const params: unknown[] = [ctx.organizationId];
    const where = list.filter ? this.protocol.compileFilter('User', list.filter, params) : undefined;
    const orderBy = list.sortBy ? this.protocol.sortExpression('User', list.sortBy) : undefined;
    return this.db.tenant(ctx, async (tx) => {
      const query = { where, params, orderBy, descending: list.descending, offset: list.startIndex - 1, limit: list.count };
      const page = await this.users.list(tx, ctx, query, this.readFor(list.projection));
      return {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: page.total,
        startIndex: list.startIndex,
        itemsPerPage: page.users.length,
        Resources: page.users.map((u) => this.protocol.project('User', toScimUser(u, call.baseUrl, u.groups), list.projection)),
      };
    });
  }

  /** `groups` is read in the user's own statement, and only when the response shows it. */
  private readFor(projection: Projection): ScimUserReadOptions {
    return { groups: this.protocol.returnsMemberships('User', projection) };
  }

  private result(call: ScimCall, user: ScimUserRecord, projection: Projection, groups: Parameters<typeof toScimUser>[2]): ScimResult {
    return {
      body: this.protocol.project('User', toScimUser(user, call.baseUrl, groups), projection),
      etag: etagOf(user.version),
      location: `${call.baseUrl}/Users/${user.id}`,
    };
  }
}
