#!/usr/bin/env node
// `npm run bench [-- <name>… [--flag…]]`: builds, then runs bench/<name>.bench.js (all of them without a name),
// passing on the flags (`npm run bench -- scheduler --scale`). Each prints one JSON line of figures measured
// beside a baseline in the same run.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureDependencies } = require('./dependencies');
const { build } = require('./build');

const root = path.resolve(__dirname, '..');
const benchDir = path.join(root, 'bench');
const log = (line) => process.stderr.write(`bench │ ${line}\n`);

ensureDependencies(log);
build();
const args = process.argv.slice(2);
const wanted = args.filter((arg) => !arg.startsWith('--'));
const flags = args.filter((arg) => arg.startsWith('--'));
const available = fs.readdirSync(benchDir).filter((file) => file.endsWith('.bench.js')).map((file) => file.replace(/\.bench\.js$/, ''));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  log(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  execFileSync(process.execPath, [path.join(benchDir, `${name}.bench.js`), ...flags], { cwd: root, stdio: 'inherit' });
}
