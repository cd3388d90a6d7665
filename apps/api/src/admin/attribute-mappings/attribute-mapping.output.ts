import { effectiveMapping, type EffectiveMapping, type MappedUser, type MappingConfig, type MappingError } from '@delta/mapping';
import type { ActiveMapping, AttributeMappingRecord, RemapRunRecord } from '@delta/persistence';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export interface RemapOutput {
  readonly id: string;
  readonly mapping_version: number;
  readonly state: string;
  readonly processed: number;
  readonly total: number;
  readonly changed: number;
  readonly error: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly finished_at: string | null;
}

/** GET/PUT answer: what the organization's mapping does, and how far its last remap got. */
export interface AttributeMappingOutput extends EffectiveMapping {
  /** 0: the platform defaults (nothing saved yet). */
  readonly version: number;
  readonly updated_at: string | null;
  readonly remap: RemapOutput | null;
}

export interface AttributeMappingVersionOutput {
  readonly version: number;
  readonly mapping: MappingConfig['mapping'];
  readonly expressions: MappingConfig['expressions'];
  readonly group_roles: MappingConfig['group_roles'];
  readonly default_role: string;
  readonly created_at: string;
  readonly created_by: string | null;
}

export interface PreviewEntryOutput {
  /** The user's id; null for the SCIM body given in the request. */
  readonly user_id: string | null;
  readonly current: MappedUser;
  readonly proposed: MappedUser;
  /** Fields whose value the proposed mapping changes (diffMappedUsers). */
  readonly changes: string[];
  /** Per-target problems evaluating the proposed mapping for this user (e.g. a CEL runtime error). */
  readonly errors: readonly MappingError[];
}

export interface PreviewOutput {
  readonly data: PreviewEntryOutput[];
}

export function toRemapOutput(run: RemapRunRecord): RemapOutput {
  return {
    id: run.id,
    mapping_version: run.mappingVersion,
    state: run.state,
    processed: run.processed,
    total: run.total,
    changed: run.changed,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    updated_at: run.updatedAt.toISOString(),
    finished_at: iso(run.finishedAt),
  };
}

export function toAttributeMappingOutput(active: ActiveMapping, remap: RemapRunRecord | undefined): AttributeMappingOutput {
  return { version: active.version, ...effectiveMapping(active.config), updated_at: iso(active.createdAt), remap: remap ? toRemapOutput(remap) : null };
}

export function toVersionOutput(record: AttributeMappingRecord): AttributeMappingVersionOutput {
  return {
    version: record.version,
    mapping: record.config.mapping,
    expressions: record.config.expressions,
    group_roles: record.config.group_roles,
    default_role: record.config.default_role,
    created_at: record.createdAt.toISOString(),
    created_by: record.createdBy,
  };
}
