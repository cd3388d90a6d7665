import { EMPTY_MAPPING_CONFIG, MappedUser, MappingConfig, compileMapping, diffMappedUsers, mapUser } from '@delta/mapping';
import { MappingBody, userDocument } from './workload';

/** CPU time of the mapping itself, in this process, without HTTP or PostgreSQL around it. */
export interface MicroResult {
  readonly label: string;
  /** µs per user, median of the rounds. */
  readonly usPerUser: number;
  readonly rounds: readonly number[];
}

const config = (body: MappingBody): MappingConfig => ({
  ...EMPTY_MAPPING_CONFIG,
  mapping: body.mapping ?? {},
  expressions: body.expressions ?? {},
  default_role: body.default_role ?? EMPTY_MAPPING_CONFIG.default_role,
});

function documents(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const { schemas: _schemas, ...stored } = userDocument(`micro-${i}@load.example`, i);
    return stored;
  });
}

function time(label: string, users: number, rounds: number, work: (i: number) => void): MicroResult {
  for (let i = 0; i < users; i++) work(i); // warm-up: JIT, CEL environment
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < users; i++) work(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e3 / users);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { label, usPerUser: sorted[Math.floor(sorted.length / 2)]!, rounds: samples };
}

/**
 * What a SCIM create pays for mapping (mapUser on the document), and what a remap pays per user
 * in JavaScript: mapUser + diffMappedUsers against the stored profile + the JSON the batch
 * UPDATE is sent as (user-profile.refresher.ts, user-profiles.repository.ts#save).
 */
export function mappingMicroBenchmarks(custom: MappingBody, oneEntry: MappingBody, users = 5000, rounds = 5): MicroResult[] {
  const docs = documents(users);
  const defaults = compileMapping(EMPTY_MAPPING_CONFIG);
  const compiledCustom = compileMapping(config(custom));
  const compiledOne = compileMapping(config(oneEntry));
  if (compiledCustom.problems.length > 0) throw new Error(`custom mapping does not compile: ${JSON.stringify(compiledCustom.problems)}`);
  const stored: MappedUser[] = docs.map((d) => mapUser(defaults, d, []).fields);
  const remapUser = (compiled: typeof defaults) => (i: number) => {
    const fields = mapUser(compiled, docs[i]!, []).fields;
    const profileChanges = diffMappedUsers(stored[i]!, fields);
    JSON.stringify({ id: '00000000-0000-4000-8000-000000000000', profile: fields, change: { operation: 'updated', changedAttributes: [], profileChanges } });
  };
  return [
    time('mapUser, default mapping', users, rounds, (i) => mapUser(defaults, docs[i]!, [])),
    time('mapUser, ten custom entries (2 CEL)', users, rounds, (i) => mapUser(compiledCustom, docs[i]!, [])),
    time('remap JS per user (map + diff + JSON), one-entry mapping', users, rounds, remapUser(compiledOne)),
    time('remap JS per user (map + diff + JSON), ten custom entries', users, rounds, remapUser(compiledCustom)),
  ];
}
