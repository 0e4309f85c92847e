// Where a service URL points, whether something answers there, and whether that place is this machine.
'use strict';

const net = require('node:net');
const os = require('node:os');

const PROBE_TIMEOUT_MS = 1000;

const SERVICES = {
  postgres: { variable: 'DATABASE_URL', protocols: ['postgres:', 'postgresql:'], defaultPort: 5432 },
  redis: { variable: 'REDIS_URL', protocols: ['redis:', 'rediss:'], defaultPort: 6379 },
};

/** Parses the URL of a service ('postgres' or 'redis') without ever echoing it (it may hold a password). */
function parseServiceUrl(raw, service) {
  const { variable, protocols, defaultPort } = SERVICES[service];
  let url;
  try {
    url = new URL(String(raw));
  } catch {
    throw new Error(`${service}: ${variable} is not a valid URL (expected ${protocols[0]}//host:port/…)`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`${service}: ${variable} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, not ${url.protocol}//`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  const port = url.port ? Number(url.port) : defaultPort;
  return { url, host, port };
}

function hostPort(host, port) {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const acceptsConnection = (socket, answer) => socket.once('connect', () => answer(true));

/**
 * True when something at target ({ host, port } or { path }) accepts a connection within a second; with talk,
 * whatever talk(socket, answer) answers over that connection instead (false on an error, a close or the timeout).
 */
function probe(target, talk = acceptsConnection) {
  return new Promise((resolve) => {
    let done = false;
    const socket = net.connect(target);
    const answer = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => answer(false), PROBE_TIMEOUT_MS);
    socket.once('error', () => answer(false));
    socket.once('close', () => answer(false));
    talk(socket, answer);
  });
}

/** Whether host names this machine, so that a server started here can stand in for it. */
function isLocalHost(host) {
  const name = host.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1' || name === '0.0.0.0' || name === '::') return true;
  if (/^127\./.test(name) || name === '::ffff:127.0.0.1') return true;
  if (name === os.hostname().toLowerCase()) return true;
  return Object.values(os.networkInterfaces())
    .flat()
    .some((address) => address && address.address.toLowerCase() === name);
}

module.exports = { parseServiceUrl, hostPort, probe, isLocalHost };
