import { ChildProcess, spawn } from 'node:child_process';

/** A process that is not ours holding a port: a `node -e` server, resolved once it listens. */
export async function listenInChild(port: number, host = '127.0.0.1'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '${host}', () => console.log('listening'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`listener on ${host}:${port} exited with ${code}`)));
  });
  return child;
}

export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}
