// Installs the npm dependencies when they are missing or older than the lockfile. Uses only Node built-ins,
// since it runs before they exist.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function dependenciesAreCurrent() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lockfile = path.join(root, 'package-lock.json');
  if (!fs.existsSync(installed)) return false;
  return !fs.existsSync(lockfile) || fs.statSync(installed).mtimeMs >= fs.statSync(lockfile).mtimeMs;
}

function ensureDependencies(log) {
  if (dependenciesAreCurrent()) return;
  const lockfile = fs.existsSync(path.join(root, 'package-lock.json'));
  log(`installing dependencies (npm ${lockfile ? 'ci' : 'install'})…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, [lockfile ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

module.exports = { ensureDependencies };
