import type { Pool } from 'pg';
import { DataSource, EntitySchema } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ServiceName } from '@homehelper/contracts';
import { MIGRATIONS_BY_OWNER } from './migrations';

export type EntityTarget = Function | EntitySchema;

/** What a service may change about its connection pool. */
export interface PoolSettings {
  /** How long an unused connection stays open (pg's default: 10 s). */
  idleTimeoutMillis?: number;
}

export function createDataSource(databaseUrl: string, owner: ServiceName, entities: EntityTarget[] = [], pool: PoolSettings = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations: MIGRATIONS_BY_OWNER[owner],
    migrationsTableName: `migrations_${owner.replace('-', '_')}`,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 10, connectionTimeoutMillis: 5000, ...pool },
  });
}

/** The node-postgres pool under a data source, for work that needs a connection as it is (outside TypeORM). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/**
 * Runs the owner's pending migrations under an advisory lock, so two replicas starting together
 * never run one migration twice.
 */
export async function runMigrations(dataSource: DataSource, owner: ServiceName): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`homehelper:migrations:${owner}`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`homehelper:migrations:${owner}`]).catch(() => undefined);
    await runner.release();
  }
}
