// Following a server child this run started: its last lines of output, a note when it ends before stop(), and
// taking it along when this process exits without stop().
'use strict';

/** A few last lines of a child's output, for error messages. */
function outputTail(limit = 40) {
  const lines = [];
  return {
    push(chunk) {
      for (const line of String(chunk).split(/\r?\n/)) {
        if (line.trim() === '') continue;
        lines.push(line.trimEnd());
        if (lines.length > limit) lines.shift();
      }
    },
    text(count = 12) {
      return lines.slice(-count).join('\n');
    },
  };
}

/**
 * Watches child (what: its name in messages). `exited` resolves when it has ended or failed to spawn. An end
 * before release() is logged: quietly for a clean shutdown, since a Ctrl-C reaches the child too. The 'exit'
 * listener (not a signal handler) sends exitSignal when this process exits without stop(): process.exit, a crash.
 */
function watchServer(child, { label, what, exitSignal, tail, log }) {
  let released = false;
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('error', (error) => {
      tail.push(error.message);
      resolve();
    });
    child.once('exit', (code, signal) => {
      if (!released) {
        log(
          code === 0
            ? `${label}: ${what} has shut down (it got a shutdown signal, such as a Ctrl-C)`
            : `${label}: ${what} exited unexpectedly (${signal ?? `code ${code}`}):\n${tail.text(6)}`,
        );
      }
      resolve();
    });
  });
  const onExit = () => {
    if (running()) child.kill(exitSignal);
  };
  process.on('exit', onExit);
  const release = () => {
    released = true;
    process.removeListener('exit', onExit);
  };
  return { running, exited, release };
}

module.exports = { outputTail, watchServer };
