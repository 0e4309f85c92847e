import type { QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from '@homehelper/database';

/**
 * Runs `text` as a named prepared statement on the data source's pool: each connection parses and plans it
 * once, then only binds and executes it. For the busiest reads and writes, whose SQL is fixed text (one name
 * per text). The statement runs on its own, outside any TypeORM transaction, and commits on its own; values
 * come back as node-postgres gives them (dates and timestamps are best selected as text).
 */
export async function queryPrepared<T extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const { rows } = await poolOf(dataSource).query<T>({ name, text, values });
  return rows;
}

/** A timestamptz column as the API writes instants: what `Date.prototype.toISOString` gives (UTC, milliseconds). */
export const isoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
