import { Injectable } from '@nestjs/common';
import { MappedUser, diffMappedUsers, mapUser } from '@delta/mapping';
import {
  CHANNELS,
  RemapRunsRepository,
  ScimUserRecord,
  SqlRunner,
  TenantContext,
  UserProfilesRepository,
  refreshUserProfiles,
} from '@delta/persistence';
import type { ActiveMapping } from '@delta/persistence';
import { MappingCache } from './mapping-cache.service';

/**
 * Membership changes touching more users than this are not re-mapped inline: they are handed
 * whole to a background remap of the organization, so one SCIM PATCH of a 100k-member group
 * stays a short transaction. Until the remap reaches them, those users keep their old role.
 */
export const INLINE_MEMBERSHIP_REMAP_LIMIT = 1_000;

export interface ComputedProfile {
  readonly mapping: ActiveMapping;
  readonly profile: MappedUser;
  /** diffMappedUsers against the stored profile (empty on create). */
  readonly profileChanges: string[];
}

/**
 * Keeps users' mapped profiles in step with SCIM writes, inside the write's transaction: the
 * profile of a written user, and the role (or any group-dependent field) of the users whose
 * group memberships a group write changed.
 */
@Injectable()
export class UserProfileService {
  constructor(
    private readonly cache: MappingCache,
    private readonly profiles: UserProfilesRepository,
    private readonly remaps: RemapRunsRepository,
  ) {}

  /** The profile a create (no `existing`) or replace/patch should store with `resource`. */
  async compute(tx: SqlRunner, ctx: TenantContext, resource: Record<string, unknown>, existing?: ScimUserRecord): Promise<ComputedProfile> {
    const mapping = await this.cache.get(tx, ctx);
    return this.computeWith(tx, ctx, mapping, resource, existing);
  }

  /**
   * After the write: when the statement saw a newer mapping version than the one used (a save
   * raced this write), re-map the written user with the version in force, in this transaction.
   * A save that commits after the statement started is covered by its remap, whose batches
   * lock users FOR UPDATE and so see this write once it commits.
   */
  async reconcile(tx: SqlRunner, ctx: TenantContext, written: ScimUserRecord, used: ActiveMapping): Promise<void> {
    if (written.mappingVersion === undefined || written.mappingVersion === used.version) return;
    const fresh = await this.cache.load(tx, ctx);
    await refreshUserProfiles(this.profiles, tx, ctx, fresh.compiled, await this.profiles.lockByIds(tx, ctx, [written.id]));
  }

  /**
   * Members joined or left a group (users, or groups whose users are then affected
   * transitively), or a group was renamed (pass the group itself): re-map the affected users
   * when the mapping reads groups, in the caller's transaction and set-based (one read of rows,
   * one of memberships, one write). Past INLINE_MEMBERSHIP_REMAP_LIMIT users the work goes to
   * a background remap of the organization instead.
   */
  async membershipsChanged(tx: SqlRunner, ctx: TenantContext, memberIds: readonly string[]): Promise<void> {
    await this.remapAffected(tx, ctx, await this.affectedUsers(tx, ctx, memberIds));
  }

  /** The users under `memberIds` whose profile may depend on them; 'many' past the inline limit. */
  async affectedUsers(tx: SqlRunner, ctx: TenantContext, memberIds: readonly string[]): Promise<string[] | 'many'> {
    if (memberIds.length === 0) return [];
    const mapping = await this.cache.get(tx, ctx);
    if (!mapping.usesGroups) return [];
    const userIds = await this.profiles.usersUnder(tx, ctx, memberIds, INLINE_MEMBERSHIP_REMAP_LIMIT + 1);
    return userIds.length > INLINE_MEMBERSHIP_REMAP_LIMIT ? 'many' : userIds;
  }

  /** Re-maps users found by affectedUsers (e.g. before their group was deleted). */
  async remapAffected(tx: SqlRunner, ctx: TenantContext, affected: string[] | 'many'): Promise<void> {
    if (affected === 'many') {
      await this.remaps.start(tx, ctx);
      await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.mappingChanged, ctx.organizationId]);
      return;
    }
    if (affected.length === 0) return;
    const mapping = await this.cache.get(tx, ctx);
    await refreshUserProfiles(this.profiles, tx, ctx, mapping.compiled, await this.profiles.lockByIds(tx, ctx, affected));
  }

  private async computeWith(
    tx: SqlRunner,
    ctx: TenantContext,
    mapping: ActiveMapping,
    resource: Record<string, unknown>,
    existing?: ScimUserRecord,
  ): Promise<ComputedProfile> {
    // A new user is in no group yet; an existing one's groups matter only if the mapping reads them.
    const groups = existing && mapping.usesGroups ? ((await this.profiles.groupsOf(tx, ctx, [existing.id])).get(existing.id) ?? []) : [];
    const { fields } = mapUser(mapping.compiled, resource, groups);
    const before = existing?.profile;
    const profileChanges = before && Object.keys(before).length > 0 ? diffMappedUsers(before as unknown as MappedUser, fields) : [];
    return { mapping, profile: fields, profileChanges };
  }
}
