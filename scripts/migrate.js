#!/usr/bin/env node
// `npm run migrate`: applies every service's pending migrations (the services also apply their own at start).
const path = require('node:path');

const root = path.resolve(__dirname, '..');

async function migrateAll(env, log) {
  const database = require(path.join(root, 'dist', 'libs', 'database', 'src'));
  const { SERVICE_NAMES } = require(path.join(root, 'dist', 'libs', 'contracts', 'src'));
  for (const owner of SERVICE_NAMES) {
    const dataSource = await database.createDataSource(env.DATABASE_URL, owner).initialize();
    try {
      const applied = await database.runMigrations(dataSource, owner);
      if (applied.length > 0) log(`${owner}: applied ${applied.join(', ')}`);
    } finally {
      await dataSource.destroy();
    }
  }
}

module.exports = { migrateAll };

if (require.main === module) {
  const { ensureDependencies } = require('./dependencies');
  const { localEnvironment } = require('./environment');
  const { build } = require('./build');
  const { ensureDatabase } = require('./infrastructure');
  const log = (line) => process.stdout.write(`migrate │ ${line}\n`);
  ensureDependencies(log);
  build();
  const { databaseUrl } = localEnvironment();
  ensureDatabase(databaseUrl)
    .then(() => migrateAll({ DATABASE_URL: databaseUrl }, log))
    .then(() => log('database is up to date'))
    .catch((error) => {
      process.stderr.write(`migrate │ ${error.message}\n`);
      process.exit(1);
    });
}
