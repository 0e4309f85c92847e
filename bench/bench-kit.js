// What the benches share: rounding, percentiles, a monotonic clock, calls to the gateway's API, and folders of
// tiny managed apps.
const fs = require('node:fs');
const path = require('node:path');

const round = (value, digits) => Number(value.toFixed(digits));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
/** The p-th percentile of ascending `sorted`. */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** One JSON call to the gateway (or any JSON API); throws with the answer's text on a non-2xx status. */
async function call(baseUrl, method, route, { token, body } = {}) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${baseUrl}${route}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const TINY_APP = path.join(__dirname, 'supervisor.tiny-app.js');

/** `count` service apps running bench/supervisor.tiny-app.js, ids from `idOf(index)`, `manifest` merged into each. */
function writeTinyApps(appsDir, { count, idOf, manifest }) {
  for (let index = 0; index < count; index += 1) {
    const id = idOf(index);
    const dir = path.join(appsDir, id);
    fs.mkdirSync(dir);
    fs.copyFileSync(TINY_APP, path.join(dir, 'app.js'));
    const written = { id, name: id, version: '1.0.0', type: 'service', command: ['node', 'app.js'], autoStart: true, ...manifest };
    fs.writeFileSync(path.join(dir, 'homehelper.json'), JSON.stringify(written, null, 2));
  }
}

module.exports = { call, nowMs, percentile, round, writeTinyApps, TINY_APP };
