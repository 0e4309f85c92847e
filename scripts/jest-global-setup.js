// Before any test: build dist/ (end-to-end tests boot the built services) and type-check the tests too,
// since the SWC transform that runs them does not.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { build } = require('./build');

module.exports = async () => {
  build();
  const root = path.resolve(__dirname, '..');
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
};
