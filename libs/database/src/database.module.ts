import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@homehelper/config';
import type { ServiceName } from '@homehelper/contracts';
import { createDataSource, EntityTarget, PoolSettings, runMigrations } from './data-source';

@Injectable()
class DataSourceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Applies another service's migrations (under that owner's lock and table), for a table this service shares. */
async function migrateOwner(databaseUrl: string, owner: ServiceName): Promise<string[]> {
  const dataSource = await createDataSource(databaseUrl, owner, []).initialize();
  try {
    return await runMigrations(dataSource, owner);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The service's TypeORM DataSource, connected and migrated before the service takes work. `sharedOwners` are
 * services whose tables this one also uses (the ui-manager leases ports from the app-manager's table): their
 * migrations are applied first, so start order does not matter.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: EntityTarget[] = [], sharedOwners: readonly ServiceName[] = [], pool: PoolSettings = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            for (const owner of sharedOwners) {
              const shared = await migrateOwner(config.databaseUrl, owner);
              if (shared.length > 0) new Logger('Database').log(`Applied ${owner} migrations: ${shared.join(', ')}`);
            }
            const dataSource = await createDataSource(config.databaseUrl, config.service, entities, pool).initialize();
            const applied = await runMigrations(dataSource, config.service);
            if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
            return dataSource;
          },
        },
        DataSourceLifecycle,
      ],
      exports: [DataSource],
    };
  }
}
