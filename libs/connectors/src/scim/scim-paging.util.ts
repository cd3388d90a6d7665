import type { RemotePage } from '../app-connector';
import { ConnectorError } from '../connector-error';
import type { ScimListResponse } from '../scim-client/scim.client';

/**
 * Index paging (RFC 7644 §3.4.2.4; Slack ref §1.5: "keep paging with startIndex += count until
 * you have totalResults"). The opaque cursor is the next 1-based startIndex.
 */
export function startIndexOf(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 1;
  if (!/^[1-9]\d{0,9}$/.test(cursor)) throw new ConnectorError('permanent', `Invalid list cursor "${cursor}"`);
  return Number(cursor);
}

export function toRemotePage<T, R>(list: ScimListResponse<T>, startIndex: number, map: (resource: T) => R): RemotePage<R> {
  const items = list.Resources.map(map);
  const nextIndex = startIndex + list.Resources.length;
  // An empty page ends the listing even if totalResults says otherwise (a shrinking directory).
  const more = list.Resources.length > 0 && nextIndex <= list.totalResults;
  return more ? { items, next: String(nextIndex) } : { items };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
