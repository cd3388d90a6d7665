import { ApiUser, DirectoryGroupRow, DirectoryUserRow, toApiUser } from '@delta/persistence';

export type UserOutput = ApiUser;

/** The product's view of a user: the mapped fields (never the SCIM document) and its groups. */
export function toUserOutput(row: DirectoryUserRow, groups: readonly { id: string; display_name: string }[]): UserOutput {
  return toApiUser(row, groups);
}

export interface GroupOutput {
  readonly id: string;
  readonly display_name: string;
  readonly external_id: string | null;
  readonly member_count: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export function toGroupOutput(row: DirectoryGroupRow): GroupOutput {
  return {
    id: row.id,
    display_name: row.display_name,
    external_id: row.external_id,
    member_count: Number(row.member_count),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
