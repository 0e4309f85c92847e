'use strict';
// Node Clock: a HomeHelper service app with no dependencies. GET /health answers {"status":"ok"}; GET / the
// current time as JSON.
const http = require('node:http');

const appId = process.env.HOMEHELPER_APP_ID;
const port = Number(process.env.PORT);
if (!appId || !Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('PORT and HOMEHELPER_APP_ID must be set (HomeHelper sets them; set them yourself to run by hand)');
  process.exit(1);
}

/** How long a stop waits for requests still in flight before leaving anyway. */
const SHUTDOWN_GRACE_MS = 3000;

function sendJson(response, status, body) {
  const data = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  response.end(data);
}

const server = http.createServer((request, response) => {
  response.on('finish', () => console.log(`${request.method} ${request.url} ${response.statusCode}`));
  const path = request.url.split('?')[0];
  if (request.method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
  if (path === '/health') return sendJson(response, 200, { status: 'ok' });
  if (path === '/') {
    const now = new Date();
    return sendJson(response, 200, { app: appId, now: now.toISOString(), unixMs: now.getTime(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  }
  return sendJson(response, 404, { error: 'not found' });
});

function stop(signal) {
  console.log(`${signal}: shutting down`);
  server.close(() => process.exit(0));
  // Keep-alive connections from the gateway would otherwise hold close() open until they time out.
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
}

process.once('SIGTERM', stop);
process.once('SIGINT', stop);
server.listen(port, '127.0.0.1', () => console.log(`${appId} listening on http://127.0.0.1:${port}`));
