// Where a local run keeps its data and which Postgres, Redis and ports it uses. GATEWAY_PORT and
// HOMEHELPER_DATA_DIR move a copy; a copy with its own data folder also gets its own database and Redis prefix.
const { createHash } = require('node:crypto');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const DEFAULT_DATA_DIR = path.join(root, '.homehelper');

function localEnvironment(env = process.env) {
  const dataDir = path.resolve(env.HOMEHELPER_DATA_DIR || DEFAULT_DATA_DIR);
  const instance =
    env.HOMEHELPER_INSTANCE ||
    (dataDir === DEFAULT_DATA_DIR ? 'homehelper' : `homehelper-${createHash('sha256').update(dataDir).digest('hex').slice(0, 8)}`);
  return {
    dataDir,
    instance,
    databaseUrl: env.DATABASE_URL || `postgres://postgres@127.0.0.1:5432/${instance.replace(/-/g, '_')}`,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    gatewayPort: Number(env.GATEWAY_PORT || 8000),
  };
}

module.exports = { localEnvironment, root };
