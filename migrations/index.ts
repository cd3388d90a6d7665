import { Foundation1763800000000 } from './1763800000000-Foundation';
import { ScimResources1763800100000 } from './1763800100000-ScimResources';
import { DeliveryEngine1763800200000 } from './1763800200000-DeliveryEngine';
import { UserProfiles1763800300000 } from './1763800300000-UserProfiles';
import { LeakproofLookups1763800400000 } from './1763800400000-LeakproofLookups';
import { SystemScans1763800500000 } from './1763800500000-SystemScans';
import { TraceContext1763800600000 } from './1763800600000-TraceContext';

/** Every migration, in order. TypeORM runs the pending ones; `synchronize` is never on. */
export const MIGRATIONS = [Foundation1763800000000, ScimResources1763800100000, DeliveryEngine1763800200000, UserProfiles1763800300000, LeakproofLookups1763800400000, SystemScans1763800500000, TraceContext1763800600000];
