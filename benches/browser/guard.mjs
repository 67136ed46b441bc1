// Interference guard, as in benches/peers/bench.mjs: the share of all CPUs that other processes
// used during a cell (/proc/stat); over 15%, the cell is re-run (up to twice) after waiting for
// an idle machine. "Self" is this Node process and every process under it: the Chromium
// processes Playwright started, the renderer that runs the bench worker among them.
import fs from 'node:fs';

export const OTHERS_MAX = 0.15;
// PEERBENCH_MAX_IDLE_WAIT_S caps each wait, as in bench.mjs (make bench sets 20 s).
const MAX_IDLE_WAIT_S = Number(process.env.PEERBENCH_MAX_IDLE_WAIT_S ?? Infinity);
export const stats = { idleWaitS: 0 };

/** CPU ticks of `root` and its descendants (children they reaped are in their cutime + cstime). */
function treeTicks(root) {
  const ticks = new Map();
  const children = new Map();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; } // exited meanwhile
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    ticks.set(Number(pid), f[11] + f[12] + f[13] + f[14]);
    if (!children.has(f[1])) children.set(f[1], []);
    children.get(f[1]).push(Number(pid));
  }
  let sum = 0;
  for (const todo = [root]; todo.length;) {
    const pid = todo.pop();
    sum += ticks.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return sum;
}

function snap() {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((x, y) => x + y, 0);
  return { total, busy: total - cpu[3] - cpu[4], self: treeTicks(process.pid) };
}
const othersShare = (a, b) => (b.total <= a.total ? 0 : Math.max(0, b.busy - a.busy - (b.self - a.self)) / (b.total - a.total));

/** Waits (up to maxS) until other processes use < 5% of the CPUs over 2 s; the seconds waited, or -1. */
export async function waitIdle(maxS = 180) {
  const t0 = Date.now();
  try {
    while (Date.now() - t0 < Math.min(maxS, MAX_IDLE_WAIT_S) * 1000) {
      const a = snap();
      await new Promise((r) => setTimeout(r, 2000));
      if (othersShare(a, snap()) < 0.05) return (Date.now() - t0) / 1000;
    }
    return -1;
  } finally {
    stats.idleWaitS += (Date.now() - t0) / 1000;
  }
}

/** Runs a cell (an async function returning a result row), re-running it while others disturbed it. */
export async function guarded(runCell) {
  let first = null;
  for (let tries = 0; ; tries++) {
    const a = snap();
    const r = await runCell();
    const share = othersShare(a, snap());
    r.others_cpu = Number(share.toFixed(3));
    if (r.status !== 'ok' || share <= OTHERS_MAX || tries === 2) {
      if (tries) Object.assign(r, { reruns: tries, others_cpu_first: first });
      return r;
    }
    first ??= r.others_cpu;
    const waited = await waitIdle();
    console.error(`   (other processes used ${(share * 100).toFixed(0)}% CPU during the cell; waited ${waited}s for idle, re-running)`);
  }
}
