// CPU time and RSS of processes, from /proc, for the benches that measure a service beside an idle process.
const fs = require('node:fs');
const { setTimeout: sleep } = require('node:timers/promises');
const { nowMs, round } = require('./bench-kit');

/**
 * Time on a CPU of all a process's threads, in seconds: the first field of each thread's schedstat, in
 * nanoseconds. utime + stime count whole 10 ms clock ticks to whichever process a tick lands in, which over a
 * minute of a process that wakes a dozen times for a few milliseconds is mostly noise.
 */
function cpuSeconds(pid) {
  let nanoseconds = 0;
  for (const thread of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(fs.readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended meanwhile; its time stays counted in no other thread, a few microseconds lost
    }
  }
  return nanoseconds / 1e9;
}

function rssKb(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

/** CPU over the window as a share of one core, and RSS sampled every second, for each pid side by side. */
async function measureProcesses(pids, seconds) {
  const startSeconds = pids.map(cpuSeconds);
  const started = nowMs();
  const rss = pids.map(() => []);
  for (let second = 1; second <= seconds; second += 1) {
    await sleep(Math.max(0, started + second * 1000 - nowMs()));
    pids.forEach((pid, index) => rss[index].push(rssKb(pid)));
  }
  const elapsedSeconds = (nowMs() - started) / 1000;
  return pids.map((pid, index) => {
    const used = cpuSeconds(pid) - startSeconds[index];
    const samples = rss[index];
    return {
      cpuPercentOfOneCore: round((100 * used) / elapsedSeconds, 3),
      cpuSeconds: round(used, 3),
      rssMbMean: round(samples.reduce((sum, kb) => sum + kb, 0) / samples.length / 1024, 1),
      rssMbMax: round(Math.max(...samples) / 1024, 1),
    };
  });
}

module.exports = { cpuSeconds, measureProcesses };
