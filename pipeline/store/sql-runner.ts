/**
 * The seam under the SQL: the only part that differs between embedded chDB and
 * a ClickHouse server. Every statement is the same text for both; values travel
 * as bound `{name:Type}` parameters, never spliced into the SQL.
 */
export type SqlParams = Record<string, string | number | boolean | null | readonly (string | number)[]>;

export interface SqlRunner {
  /** Runs a statement that returns nothing (DDL, ALTER, OPTIMIZE). */
  command(sql: string, params?: SqlParams): Promise<void>;
  /** Runs a SELECT and returns its rows (JSONEachRow, 64-bit integers as numbers). */
  query<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Inserts rows as JSONEachRow into a (database-qualified) table. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  close(): Promise<void>;
}

/** A failure of the database itself; `transient` says whether a retry can help. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: ErrorOptions,
  ) {
    super(`[earshot] [store] ${message}`, options);
  }
}
export const isStoreError = (e: unknown): e is StoreError => e instanceof Error && e.name === "StoreError";
