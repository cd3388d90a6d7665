import { Foundation1763800000000 } from './1763800000000-Foundation';
import { ScimResources1763800100000 } from './1763800100000-ScimResources';

/** Every migration, in order. TypeORM runs the pending ones; `synchronize` is never on. */
export const MIGRATIONS = [Foundation1763800000000, ScimResources1763800100000];
