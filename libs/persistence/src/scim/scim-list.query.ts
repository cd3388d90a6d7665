import type { SqlRunner } from '../database/sql-runner';

/**
 * A SCIM list request compiled to SQL. `params[0]` is always the organization id, so the tenant
 * predicate comes first and every compiled filter appends its own numbered parameters after it.
 */
export interface ScimListQuery {
  /** A boolean SQL expression over the table alias, or undefined for no filter. */
  readonly where?: string;
  readonly params: readonly unknown[];
  /** An SQL expression to sort by; undefined sorts by creation (stable paging). */
  readonly orderBy?: string;
  readonly descending: boolean;
  /** 0-based (the SCIM startIndex minus one). */
  readonly offset: number;
  /** 0 answers only the total (RFC 7644 §3.4.2.4: count=0). */
  readonly limit: number;
}

export interface ScimListResult<R> {
  readonly total: number;
  readonly rows: R[];
}

/**
 * Runs a list over `table alias` with its total. The total comes with the page (a window count)
 * so the common case is one round trip; only a page past the end needs a separate count.
 */
export async function runScimList<R>(
  tx: SqlRunner,
  from: {
    table: string;
    alias: string;
    columns: string;
    /**
     * Costly columns over `alias` (e.g. a user's groups), computed in the same statement for
     * the rows of the page only, never for the rows the filter matched before LIMIT.
     */
    pageColumns?: string;
  },
  query: ScimListQuery,
): Promise<ScimListResult<R>> {
  const { table, alias, columns, pageColumns } = from;
  const where = `${alias}.organization_id = $1${query.where ? ` AND (${query.where})` : ''}`;
  const countSql = `SELECT count(*)::int AS total FROM ${table} ${alias} WHERE ${where}`;
  if (query.limit === 0) {
    const [row] = await tx.query<{ total: number }>(countSql, query.params);
    return { total: row!.total, rows: [] };
  }
  const direction = query.descending ? 'DESC' : 'ASC';
  const order = query.orderBy
    ? `${query.orderBy} ${direction} NULLS LAST, ${alias}.id`
    : `${alias}.created_at ${direction}, ${alias}.id ${direction}`;
  const n = query.params.length;
  const page = `SELECT ${columns}, count(*) OVER ()::int AS total FROM ${table} ${alias} WHERE ${where}
     ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`;
  // The page keeps its order through `ord` (a window over the same ORDER BY, so one sort).
  const sql = pageColumns
    ? `SELECT ${alias}.*, ${pageColumns} FROM (
         SELECT ${columns}, count(*) OVER ()::int AS total, row_number() OVER (ORDER BY ${order}) AS ord
         FROM ${table} ${alias} WHERE ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}) ${alias}
       ORDER BY ${alias}.ord`
    : page;
  const rows = await tx.query<R & { total: number }>(sql, [...query.params, query.limit, query.offset]);
  if (rows.length > 0) return { total: rows[0]!.total, rows };
  const [row] = await tx.query<{ total: number }>(countSql, query.params);
  return { total: row!.total, rows: [] };
}
