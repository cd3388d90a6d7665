import { CompiledMapping, EMPTY_MAPPING_CONFIG, MappingConfig, compileMapping, mappingUsesGroups } from '@delta/mapping';
import type { AttributeMappingRecord } from './attribute-mappings.repository';

/** An organization's mapping in force, compiled: version 0 is the platform defaults. */
export interface ActiveMapping {
  readonly version: number;
  readonly config: MappingConfig;
  readonly compiled: CompiledMapping;
  readonly usesGroups: boolean;
  readonly createdAt: Date | null;
}

export function toActiveMapping(record: AttributeMappingRecord | undefined): ActiveMapping {
  const config = record?.config ?? EMPTY_MAPPING_CONFIG;
  const compiled = compileMapping(config);
  return { version: record?.version ?? 0, config, compiled, usesGroups: mappingUsesGroups(compiled), createdAt: record?.createdAt ?? null };
}
