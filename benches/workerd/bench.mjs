#!/usr/bin/env node
// CPU milliseconds per request of the mailseal worker (worker/src/index.mjs) in a local workerd
// (Miniflare, offline): protect and open of 1 KiB and 1 MiB messages, S/MIME and OpenPGP,
// through the worker's own routes (POST /v1/protect, POST /v1/open), and the cold start of a
// fresh workerd process. Prints a markdown table and writes it to RESULTS.md next to this file.
//
//   node benches/workerd/bench.mjs
//
// workerd freezes the clock inside a request, so CPU is read from outside: the workerd process's
// run time summed over its threads (/proc/PID/task/TID/schedstat, ns), before and after a batch
// of identical requests. README.md says what that includes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TOKEN, WORKER, bundleWorker, dataFile, repoFile, sealedServiceKeyring, startWorker, wranglerConfig } from '../../worker/test/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The worker's own dependencies: the same mailseal package (its Node build makes the request
// bodies) and Miniflare (for the empty reference worker).
const fromWorker = createRequire(join(WORKER, 'package.json'));
const { Keyring, protect } = await import(pathToFileURL(fromWorker.resolve('mailseal')).href);
const { Miniflare } = fromWorker('miniflare');

const KiB = 1024;
const MiB = 1024 * 1024;
const BATCHES = 5; // median over these
const WARMUP = 3; // requests per operation before its batches (Liftoff → TurboFan tier-up, caches)
const PER_BATCH = { [KiB]: 20, [MiB]: 3 }; // requests per batch, by payload size
const COLD_INSTANCES = 5;
const AUTH = { authorization: `Bearer ${TOKEN}` };
const CORRESPONDENT = { smime: 'alice@example.com', pgp: 'alice@example.org' };
const SERVICE_ADDRESS = 'support@example.com';

// ---- CPU of the workerd process ------------------------------------------------------------

/** Parent, name and utime + stime (ticks) from /proc/PID/stat (the name may hold spaces). */
function stat(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(rest[1]), comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** The workerd that Miniflare spawned: our only workerd child (Miniflare keeps its handle private). */
function workerdPid() {
  const pids = readdirSync('/proc').filter((d) => {
    if (!/^\d+$/.test(d)) return false;
    try {
      const s = stat(d);
      return s.ppid === process.pid && s.comm === 'workerd';
    } catch {
      return false; // exited while we looked
    }
  });
  if (pids.length !== 1) throw new Error(`expected one workerd child, found ${pids.length}`);
  return pids[0];
}

/**
 * CPU ms of the process: all threads (V8's background threads, which compile wasm with
 * TurboFan and collect garbage, count too) and the main thread alone, which runs the isolates
 * (the worker's and Miniflare's entry worker) and is what Cloudflare bills a request for.
 * Per-thread schedstat has ns precision where /proc/PID/stat has 10 ms ticks; it misses threads
 * that exit, which workerd's pool threads do not (the run ends with a check against the ticks).
 */
function cpu(pid) {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      all += ns;
      if (tid === String(pid)) main += ns;
    } catch {
      // the thread exited between readdir and read
    }
  }
  return { all: all / 1e6, main: main / 1e6 };
}
const cpuMs = (pid) => cpu(pid).all;

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const ticksMs = (pid) => (stat(pid).ticks * 1000) / CLK_TCK;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Medians of samples { cpu, main, wall }, with the range of the all-threads CPU. */
const summary = (xs) => {
  const all = xs.map((x) => x.cpu);
  return { cpu: median(all), main: median(xs.map((x) => x.main)), wall: median(xs.map((x) => x.wall)), min: Math.min(...all), max: Math.max(...all) };
};
/** CPU from `before` to now as a sample: { cpu: all threads, main: main thread }. */
const since = (pid, before) => {
  const now = cpu(pid);
  return { cpu: now.all - before.all, main: now.main - before.main };
};

// ---- request bodies ------------------------------------------------------------------------

// Alice's side: her S/MIME and OpenPGP secret keys, the service's public ones.
const alice = new Keyring();
alice.import(repoFile('smime/root-ca.crt'), { trusted: true });
alice.import(repoFile('smime/int-ca.crt'));
alice.import(Buffer.concat([repoFile('smime/alice.crt'), repoFile('smime/alice.key')]));
alice.import(repoFile('openpgp/alice.sec.asc'));
alice.import(dataFile('worker-ca.crt'), { trusted: true });
alice.import(dataFile('support.crt'));
alice.import(dataFile('support.pub.asc'), { trusted: true });

const draft = (from, to, data) => ({
  from,
  to: [to],
  subject: `Ticket #9001 (${data.length} bytes attached)`,
  text: 'Your ticket is solved; the log is attached.',
  attachments: [{ filename: 'payload.bin', contentType: 'application/octet-stream', data }],
});

const post = (body) => ({ method: 'POST', headers: AUTH, body });

/** The operations: a route, a fixed request and a check of the JSON answer. */
async function operations() {
  const ops = [];
  for (const method of ['smime', 'pgp']) {
    const label = method === 'smime' ? 'S/MIME' : 'OpenPGP';
    for (const size of [KiB, MiB]) {
      const data = new Uint8Array(randomBytes(size));
      // POST /v1/protect takes the help desk's notification as RFC 5322 text: the package's MIME
      // writer (neither sign nor encrypt) makes it; the worker signs and encrypts it to Alice.
      const plain = await protect(alice, draft(SERVICE_ADDRESS, CORRESPONDENT[method], data), { sign: false, encrypt: false });
      ops.push({
        name: `protect ${label} (sign + encrypt)`,
        size,
        path: `/v1/protect?method=${method}`,
        init: post(plain.deliveries[0].mime),
        ok: (j) => j.deliveries.length === 1 && j.deliveries[0].method === method && j.deliveries[0].signed && j.deliveries[0].encrypted,
      });
      // POST /v1/open gets Alice's mail to the service address, signed and encrypted.
      const sealed = await protect(alice, draft(CORRESPONDENT[method], SERVICE_ADDRESS, data), { sign: true, encrypt: true, method });
      ops.push({
        name: `open ${label} (decrypt + verify)`,
        size,
        path: '/v1/open',
        init: post(sealed.deliveries[0].mime),
        ok: (j) => j.encryption.state === 'decrypted' && j.signature.state === 'valid' && j.attachments[0]?.filename === 'payload.bin' &&
          Buffer.from(j.attachments[0].data, 'base64').equals(Buffer.from(data)),
      });
    }
  }
  return ops;
}

// ---- running -------------------------------------------------------------------------------

// A keyring sealed under a random key (Keyring.sealWithKey, secret KEYRING_KEY), as the worker's
// README recommends: the password variant would add about a second of Argon2id to the cold start.
// MAILSEAL_BENCH_KEYRING=password measures that variant (secret KEYRING_PASSWORD, as the
// worker's tests seal it), which is also the only one of builds older than Keyring.sealWithKey.
const byPassword = process.env.MAILSEAL_BENCH_KEYRING === 'password';
const key = new Uint8Array(randomBytes(32));
const sealed = byPassword ? sealedServiceKeyring() : sealedServiceKeyring(key);
const secrets = byPassword ? {} : { KEYRING_KEY: Buffer.from(key).toString('base64'), KEYRING_PASSWORD: undefined };
const cfg = wranglerConfig();
const kvName = cfg.kv_namespaces[0].binding;
const kvKey = cfg.vars.KEYRING_KV_KEY;

/**
 * A fresh workerd with the worker and the keyring in KV, as harness.mjs starts it for the tests;
 * with `fromSecret`, the keyring in the KEYRING_SEALED secret instead (no KV entry), which the
 * worker opens at its top level while the isolate starts (worker/src/keyring.mjs).
 */
async function start(fromSecret = false) {
  const t0 = performance.now();
  const w = await startWorker({ sealed: null, secrets: fromSecret ? { ...secrets, KEYRING_SEALED: Buffer.from(sealed).toString('base64') } : secrets });
  const wall = performance.now() - t0;
  const pid = workerdPid();
  const life = cpu(pid); // the process's whole life so far: it is new
  // The keyring goes in after the startup sample so neither number includes the KV write.
  if (!fromSecret) await (await w.mf.getKVNamespace(kvName)).put(kvKey, sealed);
  return { w, pid, startup: { cpu: life.all, main: life.main, wall } };
}

/** One request; the whole answer is read, since the worker's CPU for writing it counts. */
async function send(w, op) {
  const res = await w.fetch(op.path, op.init);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== (op.status ?? 200)) throw new Error(`${op.name}: HTTP ${res.status} ${body.toString().slice(0, 300)}`);
  return body;
}

/** The answer is what the operation should give (checked outside the measured batches). */
function check(op, body) {
  if (op.ok && !op.ok(JSON.parse(body))) throw new Error(`${op.name}: unexpected answer ${body.toString().slice(0, 300)}`);
}

/** Median CPU and wall ms per request over BATCHES batches of n requests. */
async function measure(w, pid, op, n) {
  for (let i = 0; i < WARMUP; i++) check(op, await send(w, op));
  const batches = [];
  for (let b = 0; b < BATCHES; b++) {
    const c0 = cpu(pid);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await send(w, op);
    const used = since(pid, c0);
    batches.push({ cpu: used.cpu / n, main: used.main / n, wall: (performance.now() - t0) / n });
  }
  return summary(batches);
}

/** Startup CPU of the same workerd with an empty worker: what is not mailseal's. */
// The reference worker: 404 for GET, and a POST answered with its own body as JSON ({ body:
// base64 }, with the mailseal worker's own base64 encoder), about what the mailseal worker
// reads and writes for a message, without mailseal.
const REFERENCE_WORKER = `${readFileSync(join(WORKER, 'src', 'base64.mjs'), 'utf8').replace('export const base64', 'const base64')}
export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response(null, { status: 404 });
    const bytes = new Uint8Array(await request.arrayBuffer());
    return new Response(JSON.stringify({ body: base64.encode(bytes) }), { headers: { 'content-type': 'application/json' } });
  },
};`;

/** The same workerd with the reference worker; its startup CPU (what is not mailseal's). */
async function emptyStartup() {
  const t0 = performance.now();
  const mf = new Miniflare({
    modules: true,
    script: REFERENCE_WORKER,
    compatibilityDate: cfg.compatibility_date,
  });
  await mf.ready;
  const wall = performance.now() - t0;
  const life = cpu(workerdPid());
  return { mf, startup: { cpu: life.all, main: life.main, wall } };
}

const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const sizeLabel = (size) => (size == null ? '–' : size >= MiB ? `${size / MiB} MiB` : `${size / KiB} KiB`);
const row = (name, size, r) =>
  `| ${name} | ${sizeLabel(size)} | ${fmt(r.cpu)} | ${fmt(r.main)} | ${fmt(r.wall)} | ${r.min == null ? '–' : `${fmt(r.min)}–${fmt(r.max)}`} |`;

const began = Date.now();
const load = os.loadavg()[0]; // before our own processes add to it
const { outdir } = bundleWorker(); // wrangler's bundling (its own process) before any measurement
const ops = await operations();
const firstOp = ops[0]; // protect S/MIME 1 KiB: the cold request
const rows = [];

// Cold start: a new Miniflare per sample is a new workerd process, so nothing compiled survives.
// Its first request is one of: protect S/MIME, protect OpenPGP (each unseals the keyring and
// makes the first wasm calls), or GET / (the worker's routing and Miniflare's own first request,
// no mailseal call).
// With a random key, also the two protects with the keyring in the KEYRING_SEALED secret, which
// the worker opens at its top level (the isolate's start), not in the first request.
const pgpOp = ops.find((o) => o.path === '/v1/protect?method=pgp' && o.size === KiB);
const coldOps = [firstOp, pgpOp, { name: 'GET / (404, no mailseal call)', path: '/', status: 404 }];
const coldCases = [
  ...coldOps.map((op) => ({ op, fromSecret: false, samples: [] })),
  ...(byPassword ? [] : [firstOp, pgpOp].map((op) => ({ op, fromSecret: true, samples: [] }))),
];
const startups = [];
const secretStartups = [];
for (let i = 0; i < COLD_INSTANCES; i++) {
  for (const c of coldCases) {
    const { w, pid, startup } = await start(c.fromSecret);
    const c0 = cpu(pid);
    const t0 = performance.now();
    const body = await send(w, c.op);
    c.samples.push({ ...since(pid, c0), wall: performance.now() - t0 });
    (c.fromSecret ? secretStartups : startups).push(startup);
    await w.dispose();
    check(c.op, body);
  }
}
const empty = [];
for (let i = 0; i < COLD_INSTANCES; i++) {
  const { mf, startup } = await emptyStartup();
  empty.push(startup);
  await mf.dispose();
}
rows.push(row('cold: workerd startup, reference worker without mailseal', null, summary(empty)));
rows.push(row('cold: workerd startup with the mailseal worker (new Miniflare → ready)', null, summary(startups)));
if (secretStartups.length) rows.push(row('cold: workerd startup, keyring in the KEYRING_SEALED secret (unsealed at the top level)', null, summary(secretStartups)));
for (const c of coldCases) {
  const { op } = c;
  const what =
    op.path === '/' ? op.name
    : c.fromSecret ? `${op.name}, keyring from the KEYRING_SEALED secret (unsealed at startup): first wasm calls`
    : `${op.name}: unseals the keyring, first wasm calls`;
  rows.push(row(`cold: first request, ${what}`, op.path === '/' ? null : op.size, summary(c.samples)));
}

const referenceRows = [];
// The transport of a message through Miniflare (its entry worker proxies the body in and the
// answer out on the same main thread) and a worker's base64 JSON answer, without mailseal.
{
  const { mf } = await emptyStartup();
  const refPid = workerdPid();
  const ref = { fetch: (path, init) => mf.dispatchFetch('http://localhost' + path, init) };
  for (const op of ops.filter((o) => o.name.startsWith('protect S/MIME'))) {
    const echo = { name: 'echo', path: '/', init: { method: 'POST', body: op.init.body } };
    referenceRows.push(row('reference: a worker without mailseal answering the same POST with its body as base64 JSON', op.size, await measure(ref, refPid, echo, PER_BATCH[op.size])));
  }
  await mf.dispose();
}

// Warm: one instance, each operation after its warm-up.
const { w, pid } = await start();
const cpu0 = cpuMs(pid);
const ticks0 = ticksMs(pid);
rows.push(row('request overhead: GET / (404, no mailseal call)', null, await measure(w, pid, { name: 'GET /', path: '/', status: 404 }, PER_BATCH[KiB])));
rows.push(...referenceRows);
for (const op of ops) rows.push(row(`warm: ${op.name}`, op.size, await measure(w, pid, op, PER_BATCH[op.size])));
const agreement = `schedstat ${fmt(cpuMs(pid) - cpu0)} ms, /proc stat ${fmt(ticksMs(pid) - ticks0)} ms`;
await w.dispose();
alice.free();

const wasm = statSync(join(outdir, readdirSync(outdir).find((f) => f.endsWith('.wasm')))).size;
const out = [
  '# mailseal worker in workerd: CPU per request',
  '',
  `Generated by \`node benches/workerd/bench.mjs\` (see README.md) on ${new Date().toISOString().slice(0, 16)}Z in ${((Date.now() - began) / 1000).toFixed(0)} s; ` +
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} vCPU, load average ${load.toFixed(2)} at the start, Node ${process.version}, ` +
    `miniflare ${fromWorker('miniflare/package.json').version}, workerd ${createRequire(fromWorker.resolve('miniflare'))('workerd/package.json').version}, wasm ${(wasm / MiB).toFixed(2)} MiB.`,
  '',
  `Keyring: sealed ${byPassword ? 'with a password (Argon2id), secret KEYRING_PASSWORD' : 'under a random key, secret KEYRING_KEY'}. ` +
    `CPU: the workerd process per request, all threads and the main thread alone (the isolates' thread: what Cloudflare bills; the rest is V8's background compilation and GC). Warm rows: median of ${BATCHES} batches (${PER_BATCH[KiB]} requests at 1 KiB, ${PER_BATCH[MiB]} at 1 MiB) after ${WARMUP} warm-up requests; ` +
    `cold rows: median of ${COLD_INSTANCES} fresh workerd processes. Last column: the smallest and largest batch (or instance). ` +
    `CPU of the whole warm instance: ${agreement} (agree within the 10 ms ticks if no thread time was lost).`,
  '',
  '| operation | size | CPU ms, all threads (median) | CPU ms, main thread (median) | wall ms (median) | CPU ms all threads, min–max |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
process.stdout.write(out);
writeFileSync(process.env.MAILSEAL_BENCH_OUT ?? join(here, 'RESULTS.md'), out);
