/**
 * Keyset pagination for /v1 lists: the cursor is an opaque base64url of the last row's
 * (created_at, id), so pages stay stable while rows are added and never need OFFSET scans.
 */
export interface KeysetCursor {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** Returns undefined for anything that is not a cursor this API issued. */
export function decodeCursor(text: string): KeysetCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** Rows were fetched with LIMIT limit+1: the extra row only says another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => KeysetCursor): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
