// A stand-in for a managed app in the process driver's specs; argv[2] picks what it does.
const { spawn } = require('node:child_process');
const net = require('node:net');

const [mode, ...args] = process.argv.slice(2);
const stayAlive = () => setInterval(() => undefined, 1 << 30);

switch (mode) {
  case 'echo':
    // What the program received, for the no-shell and environment checks.
    process.stdout.write(`${JSON.stringify({ argv: args, env: process.env, cwd: process.cwd() })}\n`);
    break;
  case 'serve': {
    // The port is held by a grandchild, as with a wrapper script that starts the real server.
    spawn(process.execPath, [__filename, 'listen'], { stdio: ['ignore', 'inherit', 'inherit'] });
    stayAlive();
    break;
  }
  case 'listen': {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => process.stdout.write(`listening pid=${process.pid} port=${server.address().port}\n`));
    break;
  }
  case 'sleep-grandchild': {
    const grandchild = spawn('sleep', ['30'], { stdio: 'ignore' });
    process.stdout.write(`grandchild=${grandchild.pid}\n`);
    stayAlive();
    break;
  }
  case 'ignore-term':
    process.on('SIGTERM', () => process.stdout.write('ignoring SIGTERM\n'));
    process.stdout.write('ready\n');
    stayAlive();
    break;
  case 'spew': {
    // <count> lines of <width> characters on stdout, then one line on stderr.
    const [count, width] = args.map(Number);
    for (let index = 0; index < count; index++) process.stdout.write(`line ${String(index).padStart(6, '0')} ${'x'.repeat(width)}\n`);
    process.stderr.write('done on stderr\n');
    break;
  }
  case 'stream': {
    // Numbered lines of <width> characters, <perTick> of them every millisecond until stopped; one write(2) each.
    const [perTick, width] = args.map(Number);
    let index = 0;
    setInterval(() => {
      for (let written = 0; written < perTick; written++) process.stdout.write(`line ${String(index++).padStart(6, '0')} ${'x'.repeat(width)}\n`);
    }, 1);
    break;
  }
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
}
