// Creates the database a Postgres URL names when it does not exist yet.
'use strict';

const { parseServiceUrl, hostPort } = require('./probe');

/**
 * Creates the database named in databaseUrl when it does not exist yet, connecting to the `postgres` database
 * (or `template1`) of the same server with the same credentials. Resolves true when it created it.
 * @param {string} databaseUrl
 * @returns {Promise<boolean>}
 */
async function ensureDatabase(databaseUrl) {
  const { url, host, port } = parseServiceUrl(databaseUrl, 'postgres');
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return false;
  const { Client } = require('pg');
  const where = hostPort(host, port);
  const connect = async (database) => {
    const target = new URL(url.href);
    target.pathname = `/${encodeURIComponent(database)}`;
    const client = new Client({ connectionString: target.href, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };

  let admin;
  let firstError;
  for (const database of ['postgres', 'template1']) {
    try {
      admin = await connect(database);
      break;
    } catch (error) {
      firstError ??= error;
      if (error.code !== '3D000') break; // 3D000: no such database; anything else will not get better
    }
  }
  if (!admin) {
    // No access to an administrative database: the target may still exist and be reachable.
    try {
      await (await connect(name)).end();
      return false;
    } catch {
      throw new Error(`postgres: could not connect to ${where} to create database "${name}": ${firstError.message}`);
    }
  }
  try {
    const existing = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount > 0) return false;
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    if (error.code === '42P04') return false; // created meanwhile by someone else
    throw new Error(`postgres: could not create database "${name}" on ${where}: ${error.message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

module.exports = { ensureDatabase };
