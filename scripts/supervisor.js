// Runs the six services as child processes with prefixed, readable output; restarts one that dies with a
// growing delay; stops them all with SIGTERM (SIGKILL after a grace period).
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const SERVICES = ['gateway', 'app-manager', 'ui-manager', 'system-monitor', 'habit-service', 'scheduler'];
const COLORS = [36, 32, 35, 33, 34, 31];
const WIDTH = Math.max(...SERVICES.map((name) => name.length));

function prefixer(name, index) {
  const label = name.padEnd(WIDTH);
  return process.stdout.isTTY ? `\x1b[${COLORS[index]}m${label}\x1b[0m │ ` : `${label} │ `;
}

class Supervisor {
  constructor({ root, env, log }) {
    this.root = root;
    this.env = env;
    this.log = log;
    this.children = new Map();
    this.stopping = false;
  }

  startAll() {
    SERVICES.forEach((name, index) => this.start(name, index, 0));
  }

  start(name, index, restarts) {
    const entry = path.join(this.root, 'dist', 'apps', name, 'src', 'main.js');
    const child = spawn(process.execPath, [entry], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = prefixer(name, index);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
    }
    const startedAt = Date.now();
    this.children.set(name, child);
    child.on('exit', (code, signal) => {
      this.children.delete(name);
      if (this.stopping) return;
      if (code === 78) {
        this.log(`${name} refused its configuration (see above); fix it and start again`);
        return void this.stop().then(() => process.exit(1));
      }
      const stable = Date.now() - startedAt > 60_000;
      const attempt = stable ? 0 : restarts + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
      this.log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      setTimeout(() => !this.stopping && this.start(name, index, attempt), delay).unref();
    });
  }

  async stop(graceMs = 10_000) {
    this.stopping = true;
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }
}

module.exports = { Supervisor, SERVICES };
