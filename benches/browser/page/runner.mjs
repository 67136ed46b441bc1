// The bench worker. It imports peerbench's adapters (bundled for the browser by build.mjs; each
// imports its library's browser build from the local server), sets them up with the bench keys
// and times one cell per call of the host (bench.mjs, through Playwright's worker.evaluate), as
// runCellOnce in benches/peers/bench.mjs does, with performance.now() around each awaited call.
import { OPS } from './ops.mjs';

const adapters = new Map();
let data = null;

// peerbench's `keys` (bench.mjs loadKeys), from benches/peers/keys on the local server. The
// browser adapters need no gpg home, fingerprints or file paths.
async function loadKeys() {
  const get = async (file) => {
    const res = await fetch(`/keys/${file}`);
    if (!res.ok) throw new Error(`/keys/${file}: HTTP ${res.status}`);
    return res;
  };
  const text = async (file) => (await get(file)).text();
  const bytes = async (file) => new Uint8Array(await (await get(file)).arrayBuffer());
  const pgp = {};
  for (const kt of ['rsa3072', 'ed25519']) {
    pgp[kt] = { email: `${kt}@bench.test`, publicArmored: await text(`pgp/${kt}.pub.asc`), secretArmored: await text(`pgp/${kt}.sec.asc`) };
  }
  const x509 = {};
  for (const kt of ['rsa2048', 'rsa3072', 'p256']) {
    const f = `x509/${kt}`;
    x509[kt] = {
      alg: kt.startsWith('rsa') ? 'RSA' : 'EC',
      certPem: await text(`${f}.crt`), certDer: await bytes(`${f}.crt.der`),
      keyPem: await text(`${f}.key`), keyPkcs8Der: await bytes(`${f}.key.p8.der`),
      p12: await bytes(`${f}.p12`), p12Compat: await bytes(`${f}.compat.p12`), p12Password: 'bench',
    };
  }
  return { pgp, x509 };
}

/** Imports and sets up the adapter bundles (/adapters/NAME.mjs); returns their columns. */
async function load(bundles) {
  const keys = await loadKeys();
  for (const bundle of bundles) {
    const a = (await import(`/adapters/${bundle}.mjs`)).default;
    await a.setup(keys);
    adapters.set(a.name, a);
  }
  return [...adapters.values()].map((a) => ({ name: a.name, version: a.version, families: a.families, native: false }));
}

/** The payload of the next cells: random bytes made here, or the MIME text the host wrote. */
async function payload({ kind, bytes }) {
  data = null; // let the previous payload go before making the next (10 MiB)
  if (kind === 'random') {
    data = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536)); // its per-call limit
  } else {
    const res = await fetch(`/payloads/${kind}-${bytes}.bin`);
    if (!res.ok) throw new Error(`payload ${kind} ${bytes}: HTTP ${res.status}`);
    data = new Uint8Array(await res.arrayBuffer());
  }
}

function unsupported(a, op, kt) {
  for (const m of [op.method, ...(op.needs ?? [])]) {
    if (typeof a[m] !== 'function') return { status: 'not-implemented', reason: `${m} not implemented` };
  }
  const s = a.supports ? a.supports(op.id, kt, op.variant) : true;
  return s === true ? null : { status: 'unsupported', reason: String(s) };
}

async function timed(op, a, ctx) {
  const t0 = performance.now();
  const value = await op.call(a, ctx);
  return { value, ms: performance.now() - t0 };
}
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** One cell: prep (untimed), warm-up (first output checked), N timed calls (last output checked). */
async function cell({ opId, kt, adapter, size, budgetMs }) {
  const a = adapters.get(adapter);
  const op = OPS.find((o) => o.id === opId);
  const skip = unsupported(a, op, kt);
  if (skip) return skip;
  const ctx = { data, kt };
  try {
    if (op.prep) ctx.input = await op.prep(a, ctx);
    let lastWarm = 0;
    for (let w = 0; w < size.warm; w++) {
      const r = await timed(op, a, ctx);
      if (w === 0 && !op.check(r.value, ctx)) throw new Error('output check failed (wrong plaintext / verification false / empty output)');
      lastWarm = r.ms;
    }
    const n = Math.max(size.minN, Math.min(size.maxN, Math.floor(budgetMs / Math.max(lastWarm, 0.001))));
    const times = [];
    let last;
    for (let i = 0; i < n; i++) {
      if (self.gc && size.bytes >= 1 << 20) self.gc(); // --js-flags=--expose-gc, as bench.mjs under node --expose-gc
      last = await timed(op, a, ctx);
      times.push(last.ms);
    }
    if (!op.check(last.value, ctx)) throw new Error('output check failed on timed run');
    const med = median(times);
    return { status: 'ok', n, median_ms: med, min_ms: Math.min(...times), max_ms: Math.max(...times),
      mbps: size.bytes / 1e3 / med, out_bytes: last.value instanceof Uint8Array ? last.value.length : null };
  } catch (e) {
    return { status: 'error', reason: String(e?.message ?? e).slice(0, 300) };
  }
}

/** What the host reads once: timer and isolation facts for the results' meta. */
function environment() {
  // performance.now() is coarsened: 5 µs when cross-origin isolated, else 100 µs.
  let t = performance.now();
  let u;
  while ((u = performance.now()) === t);
  t = u;
  while ((u = performance.now()) === t);
  return { crossOriginIsolated: self.crossOriginIsolated, timerStepMs: u - t, gc: typeof self.gc === 'function', userAgent: navigator.userAgent };
}

self.bench = { load, payload, cell, environment };
postMessage('ready');
