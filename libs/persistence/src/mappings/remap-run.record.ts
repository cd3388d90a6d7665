export type RemapState = 'pending' | 'running' | 'succeeded' | 'failed';

/** A background re-mapping of one organization's users with one mapping version. */
export interface RemapRunRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly mappingVersion: number;
  readonly state: RemapState;
  readonly processed: number;
  readonly total: number;
  readonly changed: number;
  /** The last user id whose batch committed; null before the first batch. */
  readonly cursor: string | null;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}
