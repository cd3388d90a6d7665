import { CompiledMapping, MappedUser, diffMappedUsers, mapUser, mappingUsesGroups } from '@delta/mapping';
import type { SqlRunner } from '../database/sql-runner';
import type { TenantContext } from '../database/tenant-context';
import type { ProfileSourceRow, ProfileUpdate, UserProfilesRepository } from './user-profiles.repository';

export interface RefreshOutcome {
  readonly processed: number;
  /** Users whose stored profile changed (and got an 'updated' outbox row). */
  readonly changed: number;
}

const isEmpty = (profile: Record<string, unknown>): boolean => Object.keys(profile).length === 0;

/**
 * The profile changes re-mapping `rows` with `compiled` produces: only users whose profile
 * differs, each with the `profileChanges` its update event carries. A user never mapped before
 * (`{}`, e.g. created before profiles existed) gets its profile without an event.
 */
export function profileUpdates(compiled: CompiledMapping, rows: readonly ProfileSourceRow[], groups: ReadonlyMap<string, readonly { id: string; display_name: string }[]>): ProfileUpdate[] {
  const updates: ProfileUpdate[] = [];
  for (const row of rows) {
    const { fields } = mapUser(compiled, row.resource, groups.get(row.id) ?? []);
    if (isEmpty(row.profile)) {
      updates.push({ id: row.id, profile: fields, change: null });
      continue;
    }
    const profileChanges = diffMappedUsers(row.profile as unknown as MappedUser, fields);
    if (profileChanges.length > 0) updates.push({ id: row.id, profile: fields, change: { operation: 'updated', changedAttributes: [], profileChanges } });
  }
  return updates;
}

/** Re-maps locked rows and writes the changed profiles in one statement. */
export async function refreshUserProfiles(
  repo: UserProfilesRepository,
  tx: SqlRunner,
  ctx: TenantContext,
  compiled: CompiledMapping,
  rows: readonly ProfileSourceRow[],
): Promise<RefreshOutcome> {
  if (rows.length === 0) return { processed: 0, changed: 0 };
  const groups = mappingUsesGroups(compiled) ? await repo.groupsOf(tx, ctx, rows.map((r) => r.id)) : new Map<string, never[]>();
  const updates = profileUpdates(compiled, rows, groups);
  await repo.save(tx, ctx, updates);
  return { processed: rows.length, changed: updates.filter((u) => u.change !== null).length };
}
