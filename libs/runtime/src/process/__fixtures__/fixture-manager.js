// Plays the app-manager in the process driver's specs: starts fixture-app.js through the built startProcess
// (dist/, which the tests' global set-up builds), prints the app's pid and start time, then idles until it is
// killed, as a manager that crashes or restarts while its app runs on.
const path = require('node:path');

const root = path.resolve(__dirname, '../../../../..');
const { startProcess } = require(path.join(root, 'dist', 'libs', 'runtime', 'src', 'process'));
const [logDir, ...appArgs] = process.argv.slice(2);

startProcess({
  appId: 'fixture',
  argv: [process.execPath, path.join(__dirname, 'fixture-app.js'), ...appArgs],
  cwd: logDir,
  env: {},
  dataDir: logDir,
  logDir,
}).then(
  ({ pid, startTime }) => {
    process.stdout.write(`${JSON.stringify({ pid, startTime })}\n`);
    setInterval(() => undefined, 1 << 30);
  },
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
