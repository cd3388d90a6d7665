import { Foundation1763800000000 } from './1763800000000-Foundation';

/** Every migration, in order. TypeORM runs the pending ones; `synchronize` is never on. */
export const MIGRATIONS = [Foundation1763800000000];
