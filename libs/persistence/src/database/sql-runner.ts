/** What repositories get inside a transaction: parameterized SQL, nothing else. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns the number of rows it touched. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** Connects an SQL state code to the domain: 23505 unique_violation, 23503 foreign_key_violation. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}
