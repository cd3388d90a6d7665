import { Injectable } from '@nestjs/common';
import { ScimError } from '@delta/scim/errors/scim-error';
import {
  ChangeRecord,
  Database,
  MemberChanges,
  MemberRef,
  ScimGroupRecord,
  ScimGroupsRepository,
  SqlRunner,
  TenantContext,
  constraintOf,
  sqlStateOf,
} from '@delta/persistence';
import { UserProfileService } from '../../mapping/user-profile.service';
import { MemberInput, MembershipDelta, PatchedGroup, Projection, ScimProtocol } from '../protocol/scim-protocol';
import { GroupMemberRef, etagOf, toScimGroup } from '../resources/scim-representation.mapper';
import { ListResponse, LIST_RESPONSE_SCHEMA, ParsedList, ScimCall, assertIfMatch, originOf, resourceId, tenantOf } from '../resources/scim-request';
import type { ScimResult } from '../resources/scim-reply.util';

/**
 * Whose groups a write changed: the members added and removed, or, when the group was renamed
 * (role rules match display names), everyone under the group.
 */
function affectedMembers(groupId: string, members: Pick<ChangeRecord, 'membersAdded' | 'membersRemoved'>, renamed: boolean): string[] {
  if (renamed) return [groupId, ...(members.membersRemoved ?? [])];
  return [...(members.membersAdded ?? []), ...(members.membersRemoved ?? [])];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notAMember(value: string): ScimError {
  return ScimError.badRequest('invalidValue', `members: ${JSON.stringify(value)} is not the id of a user or group here.`);
}

/**
 * The member changes of a PATCH that touches nothing but membership by id (adds, and removes
 * by id: the shapes Entra, Okta and Google send), or undefined when it does more (document
 * attributes, removing all or by filter, replacing the list, removing and re-adding one id),
 * which takes the general path.
 */
function membersOnly(patched: PatchedGroup): MemberChanges | undefined {
  const { members } = patched;
  if (patched.changedAttributes.some((name) => name !== 'members')) return undefined;
  if (members.removeAll || members.replaceWith || members.removeWhere) return undefined;
  // Last one wins, as in resolveMembers.
  const add = new Map<string, { value: string; type: 'User' | 'Group' | null }>();
  for (const input of members.add) {
    if (!UUID.test(input.value)) throw notAMember(input.value);
    add.set(input.value.toLowerCase(), { value: input.value.toLowerCase(), type: input.type ?? null });
  }
  const remove = [...new Set(members.remove.map((id) => id.toLowerCase()))];
  if (remove.some((id) => add.has(id) || !UUID.test(id))) return undefined;
  return { add: [...add.values()], remove };
}

function displayNameTaken(error: unknown): never {
  if (sqlStateOf(error) === '23505' && constraintOf(error) === 'uq_groups_display_name') {
    throw ScimError.conflict('A group with this displayName already exists in this organization.');
  }
  throw error;
}

/**
 * SCIM Groups. Membership changes are row inserts and deletes: PATCHing one member of a
 * 100,000-member group never reads the other members.
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly db: Database,
    private readonly groups: ScimGroupsRepository,
    private readonly protocol: ScimProtocol,
    private readonly profiles: UserProfileService,
  ) {}

  async create(call: ScimCall, body: unknown, projection: Projection): Promise<ScimResult> {
    const prepared = this.protocol.prepareGroup(body);
    const ctx = tenantOf(call);
    const result = await this.db
      .tenant(ctx, async (tx) => {
        const group = await this.groups.insert(tx, ctx, prepared, originOf(call, 201));
        const added = await this.applyMembers(tx, ctx, group.id, { add: prepared.members ?? [], remove: [], removeAll: false });
        const final = added.membersAdded?.length
          ? (await this.groups.update(tx, ctx, group.id, prepared, { ...added, operation: 'members_changed' }, originOf(call, 201)))!
          : group;
        await this.profiles.membershipsChanged(tx, ctx, added.membersAdded ?? []);
        return this.result(tx, ctx, call, final, projection);
      })
      .catch(displayNameTaken);
    call.audited();
    return result;
  }

  async get(call: ScimCall, id: string, projection: Projection): Promise<ScimResult> {
    const ctx = tenantOf(call);
    const groupId = resourceId(id, 'Group');
    return this.db.tenant(ctx, async (tx) => {
      const group = await this.groups.find(tx, ctx, groupId);
      if (!group) throw ScimError.notFound(`Group ${id} not found`);
      return this.result(tx, ctx, call, group, projection);
    });
  }

  async replace(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<ScimResult> {
    const ctx = tenantOf(call);
    const groupId = resourceId(id, 'Group');
    const result = await this.db
      .tenant(ctx, async (tx) => {
        const existing = await this.groups.find(tx, ctx, groupId, true);
        if (!existing) throw ScimError.notFound(`Group ${id} not found`);
        assertIfMatch(ifMatch, etagOf(existing.version));
        const prepared = this.protocol.prepareGroup(body, existing.resource);
        // PUT replaces the whole resource (RFC 7644 §3.5.1), members included.
        const members = await this.applyMembers(tx, ctx, groupId, { add: [], remove: [], removeAll: false, replaceWith: prepared.members ?? [] });
        const change: ChangeRecord = { ...members, operation: 'updated', changedAttributes: prepared.changedAttributes };
        const updated = await this.groups.update(tx, ctx, groupId, prepared, change, originOf(call, 200));
        await this.profiles.membershipsChanged(tx, ctx, affectedMembers(groupId, members, existing.displayName !== updated!.displayName));
        return this.result(tx, ctx, call, updated!, projection);
      })
      .catch(displayNameTaken);
    call.audited();
    return result;
  }

  async patch(call: ScimCall, id: string, body: unknown, ifMatch: string | undefined, projection: Projection): Promise<ScimResult & { changed: boolean }> {
    const ctx = tenantOf(call);
    const groupId = resourceId(id, 'Group');
    const result = await this.db
      .tenant(ctx, async (tx) => {
        // Unlocked: a membership-only PATCH (what Entra and Okta send) never writes the document,
        // so it locks the group only in its final statement (patchMembers).
        const read = ifMatch === undefined ? await this.groups.find(tx, ctx, groupId) : undefined;
        if (ifMatch === undefined && !read) throw ScimError.notFound(`Group ${id} not found`);
        const fast = read ? membersOnly(this.protocol.patchGroup(read.resource, body)) : undefined;
        if (read && fast) return this.patchMembers(tx, ctx, call, read, fast, projection);

        const existing = await this.groups.find(tx, ctx, groupId, true);
        if (!existing) throw ScimError.notFound(`Group ${id} not found`);
        assertIfMatch(ifMatch, etagOf(existing.version));
        const patched = this.protocol.patchGroup(existing.resource, body);
        const members = await this.applyMembers(tx, ctx, groupId, patched.members);
        const membersChanged = Boolean(members.membersAdded?.length || members.membersRemoved?.length);
        // `members` in changedAttributes says the request touched membership; whether rows
        // moved is known only here (adding an existing member changes nothing, RFC 7644 §3.5.2.1).
        const documentChanges = patched.changedAttributes.filter((name) => name !== 'members');
        if (documentChanges.length === 0 && !membersChanged) return { ...(await this.result(tx, ctx, call, existing, projection)), changed: false };
        const change: ChangeRecord = {
          ...members,
          operation: documentChanges.length > 0 ? 'updated' : 'members_changed',
          changedAttributes: membersChanged ? [...documentChanges, 'members'] : documentChanges,
        };
        const updated = await this.groups.update(tx, ctx, groupId, patched, change, originOf(call, 200));
        await this.profiles.membershipsChanged(tx, ctx, affectedMembers(groupId, members, existing.displayName !== updated!.displayName));
        return { ...(await this.result(tx, ctx, call, updated!, projection)), changed: true };
      })
      .catch(displayNameTaken);
    if (result.changed) call.audited();
    return result;
  }

  async delete(call: ScimCall, id: string, ifMatch: string | undefined): Promise<void> {
    const ctx = tenantOf(call);
    const groupId = resourceId(id, 'Group');
    await this.db.tenant(ctx, async (tx) => {
      const existing = await this.groups.find(tx, ctx, groupId, true);
      if (!existing) throw ScimError.notFound(`Group ${id} not found`);
      assertIfMatch(ifMatch, etagOf(existing.version));
      // Who was under the group must be known before its memberships go with it.
      const affected = await this.profiles.affectedUsers(tx, ctx, [groupId]);
      await this.groups.delete(tx, ctx, groupId, originOf(call, 204));
      await this.profiles.remapAffected(tx, ctx, affected);
    });
    call.audited();
  }

  async list(call: ScimCall, list: ParsedList): Promise<ListResponse> {
    const ctx = tenantOf(call);
    const params: unknown[] = [ctx.organizationId];
    const where = list.filter ? this.protocol.compileFilter('Group', list.filter, params) : undefined;
    const orderBy = list.sortBy ? this.protocol.sortExpression('Group', list.sortBy) : undefined;
    return this.db.tenant(ctx, async (tx) => {
      const page = await this.groups.list(tx, ctx, { where, params, orderBy, descending: list.descending, offset: list.startIndex - 1, limit: list.count });
      const members = this.protocol.returnsMemberships('Group', list.projection) && page.groups.length > 0
        ? await this.groups.members(tx, ctx, page.groups.map((g) => g.id))
        : undefined;
      return {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: page.total,
        startIndex: list.startIndex,
        itemsPerPage: page.groups.length,
        Resources: page.groups.map((g) => this.protocol.project('Group', toScimGroup(g, call.baseUrl, members?.get(g.id)), list.projection)),
      };
    });
  }

  /**
   * A membership-only PATCH (membersOnly): one statement resolves, deletes, inserts and bumps
   * the version (ScimGroupsRepository.changeMembers). Same outcome, outbox, audit and profile
   * re-evaluation as the general path in `patch`.
   */
  private async patchMembers(
    tx: SqlRunner,
    ctx: TenantContext,
    call: ScimCall,
    existing: ScimGroupRecord,
    delta: MemberChanges,
    projection: Projection,
  ): Promise<ScimResult & { changed: boolean }> {
    if (delta.add.some((m) => m.value === existing.id)) throw ScimError.badRequest('invalidValue', 'A group cannot be a member of itself.');
    const outcome = await this.groups.changeMembers(tx, ctx, existing.id, delta, originOf(call, 200)).catch((error: unknown) => {
      // The group was deleted after it was read: its membership rows have nowhere to go.
      if (sqlStateOf(error) === '23503' && constraintOf(error) === 'fk_group_members_group') throw ScimError.notFound(`Group ${existing.id} not found`);
      throw error;
    });
    const [unknown] = outcome.unknown;
    if (unknown) throw ScimError.badRequest('invalidValue', `members: no ${unknown.type ?? 'user or group'} with id ${unknown.value} in this organization.`);
    if (!outcome.group) return { ...(await this.result(tx, ctx, call, existing, projection)), changed: false };
    await this.profiles.membershipsChanged(tx, ctx, affectedMembers(existing.id, outcome, false));
    return { ...(await this.result(tx, ctx, call, outcome.group, projection)), changed: true };
  }

  /** Applies a membership delta as row changes; unknown member ids are a 400 and nothing is written. */
  private async applyMembers(tx: SqlRunner, ctx: TenantContext, groupId: string, delta: MembershipDelta): Promise<Pick<ChangeRecord, 'membersAdded' | 'membersRemoved'>> {
    const removed: string[] = [];
    const added: string[] = [];
    if (delta.removeAll || delta.replaceWith) removed.push(...(await this.groups.removeMembers(tx, ctx, groupId, 'all')));
    else if (delta.remove.length) removed.push(...(await this.groups.removeMembers(tx, ctx, groupId, delta.remove)));
    if (delta.removeWhere) {
      const params: unknown[] = [ctx.organizationId, groupId];
      const where = this.protocol.compileMemberFilter(delta.removeWhere, params);
      const rows = await tx.query<{ member_id: string }>(
        `DELETE FROM group_members gm WHERE gm.organization_id = $1 AND gm.group_id = $2 AND (${where}) RETURNING gm.member_id`,
        params,
      );
      removed.push(...rows.map((r) => r.member_id));
    }
    const toAdd = await this.resolveMembers(tx, ctx, [...(delta.replaceWith ?? []), ...delta.add]);
    if (toAdd.some((m) => m.value === groupId)) throw ScimError.badRequest('invalidValue', 'A group cannot be a member of itself.');
    added.push(...(await this.groups.addMembers(tx, ctx, groupId, toAdd)));
    // A member removed and re-added by the same request did not change.
    const addedSet = new Set(added);
    const removedSet = new Set(removed);
    return {
      membersAdded: added.filter((id) => !removedSet.has(id)),
      membersRemoved: removed.filter((id) => !addedSet.has(id)),
    };
  }

  /** Members name users or groups; a missing `type` is resolved from what the id is. */
  private async resolveMembers(tx: SqlRunner, ctx: TenantContext, inputs: readonly MemberInput[]): Promise<MemberRef[]> {
    if (inputs.length === 0) return [];
    const unique = new Map<string, MemberInput>();
    for (const input of inputs) {
      if (!UUID.test(input.value)) throw notAMember(input.value);
      unique.set(input.value.toLowerCase(), input);
    }
    const rows = await tx.query<{ id: string; type: 'User' | 'Group' }>(
      `SELECT u.id, 'User' AS type FROM users u WHERE u.organization_id = $1 AND u.id = ANY($2::uuid[])
       UNION ALL SELECT g.id, 'Group' FROM groups g WHERE g.organization_id = $1 AND g.id = ANY($2::uuid[])`,
      [ctx.organizationId, [...unique.keys()]],
    );
    const found = new Map(rows.map((r) => [r.id, r.type]));
    const refs: MemberRef[] = [];
    for (const [id, input] of unique) {
      const type = found.get(id);
      if (!type || (input.type && input.type !== type)) {
        throw ScimError.badRequest('invalidValue', `members: no ${input.type ?? 'user or group'} with id ${id} in this organization.`);
      }
      refs.push({ value: id, type });
    }
    return refs;
  }

  private async result(tx: SqlRunner, ctx: TenantContext, call: ScimCall, group: ScimGroupRecord, projection: Projection): Promise<ScimResult> {
    const members: GroupMemberRef[] | undefined = this.protocol.returnsMemberships('Group', projection)
      ? (await this.groups.members(tx, ctx, [group.id])).get(group.id)
      : undefined;
    return {
      body: this.protocol.project('Group', toScimGroup(group, call.baseUrl, members), projection),
      etag: etagOf(group.version),
      location: `${call.baseUrl}/Groups/${group.id}`,
    };
  }
}
