'use strict';
// The tiny app of bench/supervisor.bench.js: GET /health on 127.0.0.1:$PORT answers 200 with its own pid, so
// the bench can tell a restarted process from the one it killed. The same file runs under the app-manager
// (copied as app.js into each app folder) and directly, for the cold-start baseline.
const http = require('node:http');

const port = Number(process.env.PORT);
const body = JSON.stringify({ pid: process.pid });

http
  .createServer((request, response) => {
    const status = request.url === '/health' ? 200 : 404;
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  })
  .listen(port, '127.0.0.1');

process.once('SIGTERM', () => process.exit(0));
