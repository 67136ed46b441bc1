#!/usr/bin/env node
/**
 * peerbench — performance baseline for S/MIME + OpenPGP implementations usable from JS.
 *
 * Run:   node --expose-gc bench.mjs                    # full run -> results.json + results.md
 *        node --expose-gc bench.mjs --quick            # smoke test (1 KiB + 1 MiB, small N)
 *        node --expose-gc bench.mjs --adapter ./adapters/ours.mjs   # add a column
 * Other flags: --only NAME (repeatable; adapter names), --sizes 1k,1m,10m, --payloads random,mime,
 *        --budget-ms 1000 (timed-loop budget per cell), --out PREFIX, --skip-bench, --skip-cold,
 *        --skip-bundles, --skip-roundtrip, --render results.json (markdown only),
 *        --rerun-contaminated results.json [--rerun-errors] (re-measure cells where other processes used > 15% CPU
 *        [and cells that errored]; merge; rewrite).
 *        --combine a.json --combine b.json --combine c.json --out results   (per cell: median of the run medians,
 *        min of the run minima; cold start likewise; round trips/bundles from the last file). On this noisy shared VM a
 *        single run's cell medians move ~±20% run to run; combining 3 runs is the recommended baseline procedure.
 *
 * ============================== ADAPTER INTERFACE ==============================
 * A column is one adapter module whose default export is an object:
 *
 *   {
 *     name: string,                     // column header
 *     version: string,
 *     families: ['pgp'] | ['smime'] | ['pgp','smime'],
 *     native?: boolean,                 // true = out-of-process tool; harness reports startup-subtracted "net"
 *     supports?(opId, keyType, variant) -> true | string   // string = reason it is unsupported (shown as n/a)
 *     setup(keys) -> Promise<void>      // parse/import keys here (NOT timed). `keys` is described below.
 *     teardown?() -> Promise<void>
 *     helperPids?() -> number[]        // daemons doing work for us (e.g. gpg-agent); their CPU is not "interference"
 *
 *     // OpenPGP (binary, unarmored packets). keyType: 'rsa3072' | 'ed25519'
 *     pgpEncrypt(data, kt)            -> Uint8Array    // to keys.pgp[kt] (its encryption subkey)
 *     pgpSign(data, kt)               -> Uint8Array    // detached signature by keys.pgp[kt]
 *     pgpEncryptSign(data, kt)        -> Uint8Array    // one-pass signed + encrypted message
 *     pgpDecrypt(ct, kt)              -> Uint8Array    // plaintext
 *     pgpDecryptVerify(ct, kt)        -> Uint8Array    // plaintext; MUST throw if no valid signature
 *     pgpVerify(data, sig, kt)        -> true          // MUST throw or return false if invalid
 *
 *     // S/MIME (DER CMS ContentInfo). keyType: 'rsa2048' | 'rsa3072' | 'p256'
 *     smimeEncrypt(data, kt, {cipher, keyTransport}) -> Uint8Array
 *         cipher: 'aes-256-cbc' | 'aes-256-gcm'; keyTransport: 'rsa-oaep' | 'rsa-pkcs1v15' (EC certs: ECDH)
 *     smimeDecrypt(ct, kt)            -> Uint8Array    // must accept any of the above variants it supports
 *     smimeSign(data, kt)             -> Uint8Array    // detached SignedData, SHA-256, signed attributes, cert included
 *     smimeVerify(data, sig, kt)      -> true          // MUST throw or return false if invalid
 *
 *     coldStart?: { imports: string, firstOp?: string, firstOpLabel?: string }
 *         ESM source snippets run in fresh `node` processes (cwd = this directory, `fs` in scope):
 *         `imports` is timed as module load/init (include WASM instantiation here), `firstOp` as first use.
 *     bundles?: [{ label, files: [paths] } | { label, glob: [dir, suffix] } | { label, entry: 'ESM source' }]
 *         sizes raw / gzip -9 / brotli q11; `entry` is bundled+minified with esbuild (platform=browser).
 *   }
 *
 *   Any method may instead return { value, ns } (ns: bigint) to report its own elapsed time (the native
 *   adapter does this to exclude temp-file I/O). Missing methods are shown as "—" (not implemented).
 *
 *   keys = {
 *     dir, workDir,
 *     pgp:  { rsa3072|ed25519: { publicArmored, secretArmored, fingerprint, email, gnupgHome } },
 *     x509: { rsa2048|rsa3072|p256: { alg: 'RSA'|'EC', certPem, certDer, keyPem (PKCS#8), keyPkcs8Der,
 *                                     p12, p12Compat, p12Password, paths: { cert, key, certDer, keyDer, p12, p12Compat } } }
 *   }
 * ================================================================================
 *
 * Timing: process.hrtime.bigint() around each awaited call; warm-up calls first (not recorded), then N timed
 * calls (N chosen from the warm-up time to fit --budget-ms, clamped per size), global.gc() before each timed
 * call for sizes >= 1 MiB (if --expose-gc). Reported: median and min; MB/s = payload bytes / 1e6 / median s.
 * Inputs for decrypt/verify cells are produced by the same adapter (untimed); outputs are checked
 * (decrypt == plaintext, verify === true). Cross-implementation interop is checked separately (round-trip matrix).
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mimePayload } from './payloads.mjs';
import { cellRatio } from '../ratios.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
process.chdir(ROOT);

// ------------------------------------------------------------------ CLI
const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    adapter: { type: 'string', multiple: true, default: [] },
    only: { type: 'string', multiple: true, default: [] },
    sizes: { type: 'string' },
    payloads: { type: 'string', default: 'random,mime' },
    'budget-ms': { type: 'string' },
    out: { type: 'string', default: 'results' },
    'skip-bench': { type: 'boolean', default: false },
    'skip-cold': { type: 'boolean', default: false },
    'skip-bundles': { type: 'boolean', default: false },
    'skip-roundtrip': { type: 'boolean', default: false },
    render: { type: 'string' },                 // re-render markdown from an existing results JSON
    combine: { type: 'string', multiple: true, default: [] }, // combine several runs: per-cell median of run medians
    'rerun-contaminated': { type: 'string' },   // re-measure cells of an existing results JSON that were disturbed
    'rerun-errors': { type: 'boolean', default: false }, // with --rerun-contaminated: also re-measure cells that errored
  },
});

const DEFAULT_ADAPTERS = ['./adapters/openpgpjs.mjs', './adapters/pkijs.mjs', './adapters/forge.mjs', './adapters/native.mjs'];

const SIZE_DEFS = {
  '1k': { label: '1 KiB', bytes: 1024, warm: 3, minN: 9, maxN: 61 },
  '1m': { label: '1 MiB', bytes: 1 << 20, warm: 2, minN: 5, maxN: 25 },
  '10m': { label: '10 MiB', bytes: 10 << 20, warm: 1, minN: 3, maxN: 11 },
};
const sizeKeys = (opt.sizes || (opt.quick ? '1k,1m' : '1k,1m,10m')).split(',');
const SIZES = sizeKeys.map((k) => ({ key: k, ...SIZE_DEFS[k] }));
const PAYLOADS = opt.payloads.split(',');
const BUDGET_NS = BigInt(Math.round(Number(opt['budget-ms'] || (opt.quick ? 300 : 1200)) * 1e6));
if (opt.quick) for (const s of SIZES) { s.maxN = Math.min(s.maxN, 7); s.minN = Math.min(s.minN, 3); }

const PGP_KT = ['rsa3072', 'ed25519'];
const SMIME_KT = ['rsa2048', 'rsa3072', 'p256'];
const KT_LABEL = { rsa3072: 'RSA-3072', ed25519: 'Ed25519/Cv25519', rsa2048: 'RSA-2048', p256: 'EC P-256' };

const V_CBC_OAEP = { key: 'cbc-oaep', cipher: 'aes-256-cbc', keyTransport: 'rsa-oaep', label: 'AES-256-CBC, RSA-OAEP-SHA256 / ECDH' };
const V_CBC_PKCS1 = { key: 'cbc-pkcs1', cipher: 'aes-256-cbc', keyTransport: 'rsa-pkcs1v15', label: 'AES-256-CBC, RSA PKCS#1 v1.5', rsaOnly: true };
const V_GCM = { key: 'gcm', cipher: 'aes-256-gcm', keyTransport: 'rsa-oaep', label: 'AES-256-GCM, RSA-OAEP-SHA256 / ECDH' };
const SMIME_VARIANTS = [V_CBC_OAEP, V_CBC_PKCS1, V_GCM];

const unwrap = (r) => (r && typeof r === 'object' && !ArrayBuffer.isView(r) && 'ns' in r) ? r.value : r;
const eqBytes = (a, b) => a && b && a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

// Operation table. prep() builds the untimed input (own ciphertext / signature); call() is timed; check() validates.
const OPS = [
  { id: 'pgp.encrypt', family: 'pgp', label: 'encrypt', method: 'pgpEncrypt',
    call: (a, c) => a.pgpEncrypt(c.data, c.kt), check: (o) => o && o.length > 0 },
  { id: 'pgp.sign', family: 'pgp', label: 'sign (detached)', method: 'pgpSign',
    call: (a, c) => a.pgpSign(c.data, c.kt), check: (o) => o && o.length > 0 },
  { id: 'pgp.encryptSign', family: 'pgp', label: 'encrypt+sign', method: 'pgpEncryptSign',
    call: (a, c) => a.pgpEncryptSign(c.data, c.kt), check: (o) => o && o.length > 0 },
  { id: 'pgp.decrypt', family: 'pgp', label: 'decrypt', method: 'pgpDecrypt', needs: ['pgpEncrypt'],
    prep: async (a, c) => unwrap(await a.pgpEncrypt(c.data, c.kt)),
    call: (a, c) => a.pgpDecrypt(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) },
  { id: 'pgp.decryptVerify', family: 'pgp', label: 'decrypt+verify', method: 'pgpDecryptVerify', needs: ['pgpEncryptSign'],
    prep: async (a, c) => unwrap(await a.pgpEncryptSign(c.data, c.kt)),
    call: (a, c) => a.pgpDecryptVerify(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) },
  { id: 'pgp.verify', family: 'pgp', label: 'verify (detached)', method: 'pgpVerify', needs: ['pgpSign'],
    prep: async (a, c) => unwrap(await a.pgpSign(c.data, c.kt)),
    call: (a, c) => a.pgpVerify(c.data, c.input, c.kt), check: (o) => o === true },
  ...SMIME_VARIANTS.map((v) => ({ id: `smime.encrypt.${v.key}`, family: 'smime', label: `encrypt [${v.label}]`, variant: v,
    method: 'smimeEncrypt', call: (a, c) => a.smimeEncrypt(c.data, c.kt, v), check: (o) => o && o.length > 0 })),
  ...SMIME_VARIANTS.map((v) => ({ id: `smime.decrypt.${v.key}`, family: 'smime', label: `decrypt [${v.label}]`, variant: v,
    method: 'smimeDecrypt', needs: ['smimeEncrypt'],
    prep: async (a, c) => unwrap(await a.smimeEncrypt(c.data, c.kt, v)),
    call: (a, c) => a.smimeDecrypt(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) })),
  { id: 'smime.sign', family: 'smime', label: 'sign (detached, SHA-256)', method: 'smimeSign',
    call: (a, c) => a.smimeSign(c.data, c.kt), check: (o) => o && o.length > 0 },
  { id: 'smime.verify', family: 'smime', label: 'verify (detached)', method: 'smimeVerify', needs: ['smimeSign'],
    prep: async (a, c) => unwrap(await a.smimeSign(c.data, c.kt)),
    call: (a, c) => a.smimeVerify(c.data, c.input, c.kt), check: (o) => o === true },
];
const keyTypesFor = (op) => (op.family === 'pgp' ? PGP_KT : SMIME_KT).filter((kt) => !(op.variant?.rsaOnly && !kt.startsWith('rsa')));

// ------------------------------------------------------------------ keys
function loadKeys() {
  const dir = path.join(ROOT, 'keys');
  const workDir = path.join(ROOT, 'work');
  fs.mkdirSync(workDir, { recursive: true });
  const gnupgHome = path.join(dir, 'gnupg');
  const pgp = {};
  for (const kt of PGP_KT) {
    const email = `${kt}@bench.test`;
    const colons = spawnSync('gpg', ['--homedir', gnupgHome, '--batch', '--with-colons', '--list-keys', email]).stdout.toString();
    const fpr = (colons.split('\n').find((l) => l.startsWith('fpr:')) || '').split(':')[9];
    pgp[kt] = {
      email, fingerprint: fpr, gnupgHome,
      publicArmored: fs.readFileSync(path.join(dir, 'pgp', `${kt}.pub.asc`), 'utf8'),
      secretArmored: fs.readFileSync(path.join(dir, 'pgp', `${kt}.sec.asc`), 'utf8'),
    };
  }
  const x509 = {};
  const u8 = (f) => new Uint8Array(fs.readFileSync(f));
  for (const kt of SMIME_KT) {
    const p = (s) => path.join(dir, 'x509', `${kt}${s}`);
    x509[kt] = {
      alg: kt.startsWith('rsa') ? 'RSA' : 'EC',
      certPem: fs.readFileSync(p('.crt'), 'utf8'), certDer: u8(p('.crt.der')),
      keyPem: fs.readFileSync(p('.key'), 'utf8'), keyPkcs8Der: u8(p('.key.p8.der')),
      p12: u8(p('.p12')), p12Compat: u8(p('.compat.p12')), p12Password: 'bench',
      paths: { cert: p('.crt'), key: p('.key'), certDer: p('.crt.der'), keyDer: p('.key.p8.der'), p12: p('.p12'), p12Compat: p('.compat.p12') },
    };
  }
  return { dir, workDir, pgp, x509 };
}

// ------------------------------------------------------------------ payloads
function randomPayload(n) { const u = new Uint8Array(n); crypto.randomFillSync(u); return u; }

// ------------------------------------------------------------------ timing
const hasGC = typeof globalThis.gc === 'function';
async function timedCall(op, a, ctx) {
  const t0 = process.hrtime.bigint();
  const r = await op.call(a, ctx);
  const t1 = process.hrtime.bigint();
  if (r && typeof r === 'object' && !ArrayBuffer.isView(r) && 'ns' in r) return { value: r.value, ns: BigInt(r.ns) };
  return { value: r, ns: t1 - t0 };
}
const ms = (ns) => Number(ns) / 1e6;
const median = (arr) => { const s = [...arr].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

// ---- contamination guard (2-core VM shared with other work): CPU used by *other* processes during a cell,
// from /proc/stat (all CPUs) minus this process + its waited-for children (/proc/self/stat), as a fraction of all CPUs.
// Helper daemons that do work on our behalf (gpg-agent performs gpg's private-key operations) count as "self":
// adapters may expose helperPids() -> [pid].
let HELPER_PIDS = [];
function procTicks(pid, withChildren) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const q = f.slice(f.lastIndexOf(')') + 2).split(' ').map(Number);
  return q[11] + q[12] + (withChildren ? q[13] + q[14] : 0);
}
function cpuSnap() {
  try {
    const l = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = l.slice(0, 8).reduce((x, y) => x + y, 0), busy = total - l[3] - l[4];
    let self = procTicks('self', true);
    for (const p of HELPER_PIDS) { try { self += procTicks(p, false); } catch { /* gone */ } }
    return { total, busy, self };
  } catch { return null; }
}
function othersShare(a, b) { if (!a || !b || b.total <= a.total) return 0; return Math.max(0, (b.busy - a.busy) - (b.self - a.self)) / (b.total - a.total); }
const OTHERS_MAX = 0.15;   // re-run a cell if other processes used more than 15% of all CPUs meanwhile
let IDLE_WAIT_TOTAL_S = 0;
// PEERBENCH_MAX_IDLE_WAIT_S caps each wait (mailseal addition: on a machine that is never idle, the
// default waits of up to 300 s + 180 s per disturbed cell make a run take hours; disturbed cells stay marked †).
const MAX_IDLE_WAIT_S = Number(process.env.PEERBENCH_MAX_IDLE_WAIT_S ?? Infinity);
async function waitIdle(maxS = 180) {
  maxS = Math.min(maxS, MAX_IDLE_WAIT_S);
  const t0 = Date.now();
  try { return await waitIdleInner(t0, maxS); } finally { IDLE_WAIT_TOTAL_S += (Date.now() - t0) / 1000; }
}
async function waitIdleInner(t0, maxS) {
  while (Date.now() - t0 < maxS * 1000) {
    const a = cpuSnap(); await new Promise((r) => setTimeout(r, 2000)); const b = cpuSnap();
    if (othersShare(a, b) < 0.05) return (Date.now() - t0) / 1000;
  }
  return -1;
}

function supportReason(a, op, kt) {
  if (typeof a[op.method] !== 'function') return { status: 'not-implemented', reason: `${op.method} not implemented` };
  for (const m of op.needs || []) if (typeof a[m] !== 'function') return { status: 'not-implemented', reason: `${m} not implemented` };
  if (a.supports) { const s = a.supports(op.id, kt, op.variant); if (s !== true) return { status: 'unsupported', reason: String(s) }; }
  return null;
}

async function runCellOnce(a, op, kt, size, payloadName, data) {
  const base = { family: op.family, op: op.id, opLabel: op.label, variant: op.variant?.key ?? null, keyType: kt,
    payload: payloadName, size: size.key, bytes: size.bytes, adapter: a.name };
  const sup = supportReason(a, op, kt);
  if (sup) return { ...base, ...sup };
  const ctx = { data, kt, variant: op.variant };
  try {
    if (op.prep) ctx.input = await op.prep(a, ctx);
    let lastWarm = null;
    for (let w = 0; w < size.warm; w++) {
      const r = await timedCall(op, a, ctx);
      if (w === 0 && !op.check(r.value, ctx)) throw new Error('output check failed (wrong plaintext / verification false / empty output)');
      lastWarm = r.ns;
    }
    const per = lastWarm > 0n ? lastWarm : 1n;
    let n = Number(BUDGET_NS / per);
    n = Math.max(size.minN, Math.min(size.maxN, n));
    const times = [];
    let outBytes = null;
    for (let i = 0; i < n; i++) {
      if (hasGC && size.bytes >= (1 << 20)) globalThis.gc();
      const r = await timedCall(op, a, ctx);
      times.push(ms(r.ns));
      if (i === n - 1) { if (!op.check(r.value, ctx)) throw new Error('output check failed on timed run'); outBytes = r.value instanceof Uint8Array ? r.value.length : null; }
    }
    const med = median(times), min = Math.min(...times);
    const res = { ...base, status: 'ok', n, median_ms: med, min_ms: min, max_ms: Math.max(...times), mbps: size.bytes / 1e6 / (med / 1e3), out_bytes: outBytes };
    if (a.native && a.overheadMs) {
      const ov = a.overheadMs(op.family);
      res.startup_ms = ov;
      res.net_ms = Math.max(med - ov, 0.001);
      res.net_min_ms = Math.max(min - ov, 0.001);
      res.net_mbps = size.bytes / 1e6 / (res.net_ms / 1e3);
    }
    return res;
  } catch (e) {
    return { ...base, status: 'error', reason: String(e && e.message || e).slice(0, 300) };
  }
}

async function runCell(a, op, kt, size, payloadName, data) {
  let r, tries = 0, firstShare = null;
  for (;;) {
    const c0 = cpuSnap();
    r = await runCellOnce(a, op, kt, size, payloadName, data);
    const share = othersShare(c0, cpuSnap());
    r.others_cpu = Number(share.toFixed(3));
    if (r.status !== 'ok' || share <= OTHERS_MAX || tries >= 2) break;
    if (firstShare === null) firstShare = share;
    tries++;
    const w = await waitIdle();
    console.error(`   (other processes used ${(share * 100).toFixed(0)}% CPU during the cell; waited ${w}s for idle, re-running)`);
  }
  if (tries) { r.reruns = tries; r.others_cpu_first = Number(firstShare.toFixed(3)); }
  return r;
}

// ------------------------------------------------------------------ cold start
function coldStart(adapters, reps = 7) {
  const out = { reps, node_bare_process_ms: null, adapters: {} };
  const wall = (args) => { const t0 = process.hrtime.bigint(); const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }); return { ms: ms(process.hrtime.bigint() - t0), r }; };
  const bare = []; for (let i = 0; i < reps; i++) bare.push(wall(['--input-type=module', '-e', 'import fs from "node:fs";']).ms);
  out.node_bare_process_ms = median(bare);
  for (const a of adapters) {
    if (!a.coldStart) continue;
    const src = `import fs from 'node:fs';\nconst __t0 = performance.now();\n${a.coldStart.imports}\nconst __t1 = performance.now();\n` +
      `${a.coldStart.firstOp || ''}\nconst __t2 = performance.now();\nconsole.log(JSON.stringify({ importMs: __t1 - __t0, firstOpMs: __t2 - __t1 }));`;
    const imp = [], first = [], proc = []; let err = null;
    for (let i = 0; i < reps; i++) {
      const { ms: w, r } = wall(['--input-type=module', '-e', src]);
      if (r.status !== 0) { err = r.stderr.toString().slice(0, 300); break; }
      const j = JSON.parse(r.stdout.toString().trim().split('\n').pop());
      imp.push(j.importMs); first.push(j.firstOpMs); proc.push(w);
    }
    out.adapters[a.name] = err ? { error: err } : {
      import_ms: median(imp), import_min_ms: Math.min(...imp), first_op_ms: median(first), first_op_min_ms: Math.min(...first),
      first_op_label: a.coldStart.firstOpLabel || '', process_wall_ms: median(proc), process_minus_bare_ms: median(proc) - out.node_bare_process_ms,
    };
  }
  return out;
}

// ------------------------------------------------------------------ bundle sizes
async function bundleSizes(adapters) {
  let esbuild = null;
  try { esbuild = await import('esbuild'); } catch { /* optional */ }
  const sizesOf = (buf) => ({ raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length });
  const out = {};
  for (const a of adapters) {
    if (!a.bundles) continue;
    out[a.name] = [];
    for (const b of a.bundles) {
      try {
        let files = [];
        if (b.files) files = b.files.map((f) => ({ name: f, buf: fs.readFileSync(path.join(ROOT, f)) }));
        else if (b.glob) files = fs.readdirSync(path.join(ROOT, b.glob[0])).filter((f) => f.endsWith(b.glob[1])).map((f) => ({ name: path.join(b.glob[0], f), buf: fs.readFileSync(path.join(ROOT, b.glob[0], f)) }));
        else if (b.entry) {
          if (!esbuild) throw new Error('esbuild not installed');
          const r = await esbuild.build({ stdin: { contents: b.entry, resolveDir: ROOT, loader: 'js' }, bundle: true, minify: true, format: 'esm',
            platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
          files = [{ name: '(esbuild)', buf: Buffer.from(r.outputFiles[0].contents) }];
        }
        const per = files.map((f) => sizesOf(f.buf));
        out[a.name].push({ label: b.label, files: files.map((f) => f.name),
          raw: per.reduce((s, x) => s + x.raw, 0), gzip: per.reduce((s, x) => s + x.gzip, 0), brotli: per.reduce((s, x) => s + x.brotli, 0) });
      } catch (e) { out[a.name].push({ label: b.label, error: String(e.message || e).slice(0, 200) }); }
    }
  }
  if (esbuild && esbuild.stop) await esbuild.stop();   // don't leave the esbuild service process running during timing
  return out;
}

// ------------------------------------------------------------------ cross-implementation round trips
async function roundTrips(adapters, data) {
  const rows = [];
  const tryCall = async (fn) => { try { return { ok: true, v: unwrap(await fn()) }; } catch (e) { return { ok: false, err: String(e && e.message || e).slice(0, 200) }; } };
  const fam = (f) => adapters.filter((a) => a.families.includes(f));
  const checks = [];
  for (const kt of PGP_KT) {
    checks.push({ family: 'pgp', kt, check: 'encrypt→decrypt', variant: null, produce: 'pgpEncrypt', consume: 'pgpDecrypt', pOp: 'pgp.encrypt', cOp: 'pgp.decrypt',
      p: (a) => a.pgpEncrypt(data, kt), c: (a, x) => a.pgpDecrypt(x, kt), ok: (o) => eqBytes(o, data) });
    checks.push({ family: 'pgp', kt, check: 'encrypt+sign→decrypt+verify', variant: null, produce: 'pgpEncryptSign', consume: 'pgpDecryptVerify', pOp: 'pgp.encryptSign', cOp: 'pgp.decryptVerify',
      p: (a) => a.pgpEncryptSign(data, kt), c: (a, x) => a.pgpDecryptVerify(x, kt), ok: (o) => eqBytes(o, data) });
    checks.push({ family: 'pgp', kt, check: 'sign→verify', variant: null, produce: 'pgpSign', consume: 'pgpVerify', pOp: 'pgp.sign', cOp: 'pgp.verify',
      p: (a) => a.pgpSign(data, kt), c: (a, x) => a.pgpVerify(data, x, kt), ok: (o) => o === true, tamper: (a, x) => a.pgpVerify(tampered, x, kt) });
  }
  for (const kt of SMIME_KT) {
    for (const v of SMIME_VARIANTS) {
      if (v.rsaOnly && !kt.startsWith('rsa')) continue;
      checks.push({ family: 'smime', kt, check: 'encrypt→decrypt', variant: v, produce: 'smimeEncrypt', consume: 'smimeDecrypt',
        pOp: `smime.encrypt.${v.key}`, cOp: `smime.decrypt.${v.key}`,
        p: (a) => a.smimeEncrypt(data, kt, v), c: (a, x) => a.smimeDecrypt(x, kt), ok: (o) => eqBytes(o, data) });
    }
    checks.push({ family: 'smime', kt, check: 'sign→verify', variant: null, produce: 'smimeSign', consume: 'smimeVerify', pOp: 'smime.sign', cOp: 'smime.verify',
      p: (a) => a.smimeSign(data, kt), c: (a, x) => a.smimeVerify(data, x, kt), ok: (o) => o === true, tamper: (a, x) => a.smimeVerify(tampered, x, kt) });
  }
  const tampered = new Uint8Array(data); tampered[tampered.length >> 1] ^= 0x01;
  for (const ch of checks) {
    for (const prod of fam(ch.family)) {
      let produced = null, pReason = null;
      if (typeof prod[ch.produce] !== 'function') pReason = 'producer: not implemented';
      else if (prod.supports && prod.supports(ch.pOp, ch.kt, ch.variant) !== true) pReason = 'producer: ' + prod.supports(ch.pOp, ch.kt, ch.variant);
      else { const r = await tryCall(() => ch.p(prod)); if (r.ok) produced = r.v; else pReason = 'producer error: ' + r.err; }
      for (const cons of fam(ch.family)) {
        const row = { family: ch.family, check: ch.check, variant: ch.variant?.key ?? null, keyType: ch.kt, producer: prod.name, consumer: cons.name };
        if (!produced) { rows.push({ ...row, status: 'n/a', reason: pReason }); continue; }
        if (typeof cons[ch.consume] !== 'function') { rows.push({ ...row, status: 'n/a', reason: 'consumer: not implemented' }); continue; }
        if (cons.supports && cons.supports(ch.cOp, ch.kt, ch.variant) !== true) { rows.push({ ...row, status: 'n/a', reason: 'consumer: ' + cons.supports(ch.cOp, ch.kt, ch.variant) }); continue; }
        const r = await tryCall(() => ch.c(cons, produced));
        if (r.ok && ch.ok(r.v)) {
          row.status = 'ok';
          if (ch.tamper) { const t = await tryCall(() => ch.tamper(cons, produced)); row.tamper_rejected = !(t.ok && t.v === true); if (!row.tamper_rejected) row.status = 'FAIL-accepts-tampered'; }
        } else { row.status = 'fail'; row.reason = r.ok ? 'wrong output' : r.err; }
        rows.push(row);
      }
    }
  }
  return rows;
}

// ------------------------------------------------------------------ markdown
function fmtMs(x) { return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3); }
function fmtMBs(x) { return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3); }
function kb(n) { return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`; }

function toMarkdown(R) {
  const L = [];
  L.push('# peerbench results', '');
  // mailseal addition: runs of benches/browser (meta.browser: Chromium, a Web Worker) render here too.
  const where = R.meta.browser ? `${R.meta.browser} (headless), in a ${R.meta.worker}` : `Node ${R.meta.node}`;
  L.push(`Generated ${R.meta.date} — ${R.meta.cpu} (${R.meta.cores} vCPU), ${R.meta.os}, ${where}${R.meta.gc ? ', --expose-gc' : ''}.`, '');
  L.push('| column | version |', '|---|---|');
  for (const a of R.meta.adapters) L.push(`| ${a.name} | ${a.version} |`);
  L.push('');
  if (R.meta.combined_from) {
    L.push(`**Combined from ${R.meta.combined_from.length} independent runs** (${R.meta.combined_from.join(', ')}): each cell's "median" is the median of the per-run medians, "min" the minimum over all timed calls. Single-run cell medians on this shared 2-vCPU VM vary by ~±20% (1σ) between runs.`, '');
    L.push('| run | started | wall s | budget ms/cell | N range 1 KiB / 1 MiB / 10 MiB | cell re-runs | idle wait s |', '|---|---|---:|---:|---|---:|---:|');
    for (const r of R.meta.runs) L.push(`| ${r.file} | ${r.date} | ${r.total_runtime_s.toFixed(0)} | ${r.budget_ms} | ${r.sizes.map((z) => `${z.minN}–${z.maxN}`).join(' / ')} | ${r.contamination?.reran_cells ?? '?'} | ${r.contamination?.idle_wait_total_s ?? '?'} |`);
    L.push('');
  }
  L.push(`Timing: median / min of N timed calls after warm-up (N adapted to size, budget ${R.meta.budget_ms} ms per cell; N in results.json). ` +
    'MB/s = payload bytes / 10^6 / median seconds (plaintext size for every op). ' +
    (R.meta.browser ? `Clock: performance.now() in the worker${R.meta.cross_origin_isolated ? ' (cross-origin isolated)' : ''}, ${fmtMs(R.meta.timer_step_ms * 1e3)} µs steps.` : '') +
    (R.meta.adapters.some((a) => a.native) ? 'Native cells: `raw` = whole process (spawnSync) time; `net` = raw − process-startup baseline measured just before the cell ' +
    '(`openssl version` for openssl, `gpg --version` for gpg); MB/s for native uses net.' : ''), '');
  if (R.startup) {
    L.push('## Process-startup baselines (spawnSync from this Node process)', '');
    L.push('| baseline | median ms |', '|---|---|');
    for (const [k, v] of Object.entries(R.startup)) L.push(`| ${k} | ${fmtMs(v)} |`);
    L.push('');
  }
  if (R.coldStart?.worker) { // benches/browser: a fresh Web Worker per sample instead of a fresh process
    L.push(`## Module load / init (fresh dedicated Worker per sample, median of ${R.coldStart.reps}${R.meta.combined_from ? ' per run, median over runs; min over all' : ''})`, '');
    L.push(`Each library's browser build from the local server (no-store: no HTTP or code cache). Bare worker (\`new Worker()\` to its first message, no import): ${fmtMs(R.coldStart.node_bare_process_ms)} ms.`, '');
    L.push('| column | module | import + init (ms, median / min) | worker wall − bare worker (ms) |', '|---|---|---|---|');
    for (const [n, c] of Object.entries(R.coldStart.adapters)) {
      L.push(`| ${n} | ${c.module} | ${fmtMs(c.import_ms)} / ${fmtMs(c.import_min_ms)} | ${fmtMs(c.process_minus_bare_ms)} |`);
    }
    L.push('');
  } else if (R.coldStart) {
    L.push(`## Module load / init (fresh \`node\` process, median of ${R.coldStart.reps}${R.meta.combined_from ? ' per run, median over runs; min over all' : ''})`, '');
    L.push(`Bare \`node --input-type=module -e 'import fs…'\` process: ${fmtMs(R.coldStart.node_bare_process_ms)} ms.`, '');
    L.push('| column | import (ms, median / min) | first op (ms, median / min) | first op | process wall − bare node (ms) |', '|---|---|---|---|---|');
    for (const [n, c] of Object.entries(R.coldStart.adapters)) {
      if (c.error) { L.push(`| ${n} | error: ${c.error.replace(/\n/g, ' ')} | | | |`); continue; }
      L.push(`| ${n} | ${fmtMs(c.import_ms)} / ${fmtMs(c.import_min_ms)} | ${fmtMs(c.first_op_ms)} / ${fmtMs(c.first_op_min_ms)} | ${c.first_op_label} | ${fmtMs(c.process_minus_bare_ms)} |`);
    }
    L.push('');
  }
  if (R.bundles) {
    L.push('## Bundle size', '');
    L.push('| column | artifact | raw | gzip -9 | brotli q11 |', '|---|---|---|---|---|');
    for (const [n, list] of Object.entries(R.bundles)) for (const b of list) {
      if (b.error) L.push(`| ${n} | ${b.label} | error: ${b.error} | | |`);
      else L.push(`| ${n} | ${b.label} | ${kb(b.raw)} | ${kb(b.gzip)} | ${kb(b.brotli)} |`);
    }
    L.push('');
  }
  if (R.results && R.results.length) {
    const notes = new Map(); const note = (txt) => { if (!notes.has(txt)) notes.set(txt, `n${notes.size + 1}`); return notes.get(txt); };
    for (const family of ['pgp', 'smime']) {
      const cols = R.meta.adapters.filter((a) => a.families.includes(family)).map((a) => a.name);
      if (!cols.length) continue;
      for (const payload of PAYLOADS_IN(R)) {
        const rows = R.results.filter((r) => r.family === family && r.payload === payload);
        if (!rows.length) continue;
        L.push(`## ${family === 'pgp' ? 'OpenPGP' : 'S/MIME (CMS)'} — payload: ${payload === 'random' ? 'random bytes' : 'realistic MIME text (CRLF)'}`, '');
        // mailseal addition: a last column with mailseal / best JS peer (benches/ratios.mjs), issue 12's figure.
        const ratioCol = cols.some((c) => c.startsWith('mailseal'));
        L.push('Cell: `median / min ms · MB/s`' + (cols.some((c) => R.meta.adapters.find((a) => a.name === c).native) ? '; native: `raw median ms (net ms) · net MB/s`' : '') +
          (ratioCol ? '; last column: mailseal\'s median / the smallest median of OpenPGP.js, PKI.js, node-forge in the row (— without both)' : ''), '');
        L.push(`| operation | key | size | ${cols.join(' | ')} |${ratioCol ? ' mailseal / best JS peer |' : ''}`, `|---|---|---|${cols.map(() => '---:').join('|')}|${ratioCol ? '---:|' : ''}`);
        const seen = new Set();
        for (const r of rows) {
          const k = `${r.op}|${r.keyType}|${r.size}`; if (seen.has(k)) continue; seen.add(k);
          const cells = cols.map((c) => {
            const x = rows.find((y) => y.op === r.op && y.keyType === r.keyType && y.size === r.size && y.adapter === c);
            if (!x) return '';
            if (x.status === 'ok') {
              const dag = (x.others_cpu || 0) > (R.meta.contamination?.threshold ?? 1) ? ' †' : '';
              if (x.net_ms !== undefined) {
                // net below ~1 ms / 10% of raw is inside the startup-baseline noise: no throughput figure
                if (x.net_ms < Math.max(1, 0.1 * x.median_ms)) return `${fmtMs(x.median_ms)} (net <${fmtMs(Math.max(1, 0.1 * x.median_ms))}) · —${dag}`;
                return `${fmtMs(x.median_ms)} (net ${fmtMs(x.net_ms)}) · ${fmtMBs(x.net_mbps)}${dag}`;
              }
              return `${fmtMs(x.median_ms)} / ${fmtMs(x.min_ms)} · ${fmtMBs(x.mbps)}${dag}`;
            }
            if (x.status === 'not-implemented') return '—';
            return `${x.status === 'error' ? 'ERROR' : 'n/a'} [${note(x.reason)}]`;
          });
          if (ratioCol) {
            const q = cellRatio(rows.filter((y) => y.op === r.op && y.keyType === r.keyType && y.size === r.size));
            cells.push(q ? `${q.ratio.toFixed(2)}×` : '—');
          }
          L.push(`| ${r.opLabel} | ${KT_LABEL[r.keyType]} | ${SIZE_DEFS[r.size].label} | ${cells.join(' | ')} |`);
        }
        L.push('');
      }
    }
    if (notes.size) { L.push('Notes:', ''); for (const [t, id] of notes) L.push(`- [${id}] ${t}`); L.push(''); }
    const c = R.meta.contamination;
    if (c) L.push(`Interference guard: a cell is re-run (after waiting for idle) when other processes on this shared VM used > ${c.threshold * 100}% of all CPU during it; † marks cells still above that after 2 re-runs (${c.cells_over_threshold} of ${c.cells} cells; ${c.reran_cells} cell re-runs; ${c.idle_wait_total_s ?? '?'} s spent waiting for idle).${R.meta.adapters.some((a) => a.native) ? ' Native "net <x" = below the startup-baseline noise, no MB/s given.' : ''}`, '');
  }
  if (R.roundtrip && R.roundtrip.length) {
    L.push(`## Cross-implementation round trips (payload: ${R.meta.roundtrip_payload})`, '');
    L.push('Row = producer, column = consumer. ✓ = consumer recovered the exact plaintext / accepted the signature (and rejected the same signature over tampered data). ✗ = failed. · = n/a (producer cannot make it or consumer lacks the op).', '');
    const fams = ['pgp', 'smime'];
    const rnotes = new Map(); const rnote = (t) => { if (!rnotes.has(t)) rnotes.set(t, `r${rnotes.size + 1}`); return rnotes.get(t); };
    for (const family of fams) {
      const rows = R.roundtrip.filter((r) => r.family === family);
      const groups = [...new Set(rows.map((r) => `${r.check}|${r.variant ?? ''}`))];
      const names = [...new Set(rows.map((r) => r.producer))];
      for (const g of groups) {
        const [check, variant] = g.split('|');
        const v = SMIME_VARIANTS.find((x) => x.key === variant);
        L.push(`### ${family === 'pgp' ? 'OpenPGP' : 'S/MIME'}: ${check}${v ? ` [${v.label}]` : ''}`, '');
        L.push(`| producer ↓ / consumer → | ${names.join(' | ')} |`, `|---|${names.map(() => '---').join('|')}|`);
        for (const p of names) {
          const cells = names.map((c) => rows.filter((r) => `${r.check}|${r.variant ?? ''}` === g && r.producer === p && r.consumer === c)
            .map((r) => `${KT_LABEL[r.keyType]} ${r.status === 'ok' ? '✓' : r.status === 'n/a' ? '·' : '✗'}${r.status !== 'ok' && r.reason ? ` [${rnote(r.reason)}]` : ''}`).join('<br>'));
          L.push(`| **${p}** | ${cells.join(' | ')} |`);
        }
        L.push('');
      }
    }
    if (rnotes.size) { L.push('Round-trip notes:', ''); for (const [t, id] of rnotes) L.push(`- [${id}] ${t.replace(/\|/g, '\\|')}`); L.push(''); }
  }
  return L.join('\n');
}
function PAYLOADS_IN(R) { return [...new Set(R.results.map((r) => r.payload))]; }

// ------------------------------------------------------------------ main
async function main() {
  const t0 = Date.now();
  if (opt.combine.length) {
    const runs = opt.combine.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    const base = JSON.parse(JSON.stringify(runs[runs.length - 1]));
    const k = (r) => `${r.payload}|${r.size}|${r.op}|${r.keyType}|${r.adapter}`;
    const maps = runs.map((R) => new Map(R.results.map((r) => [k(r), r])));
    base.results = base.results.map((r) => {
      if (r.status !== 'ok') return r;
      const oks = maps.map((m) => m.get(k(r))).filter((x) => x && x.status === 'ok');
      const o = { ...r, runs: oks.length, run_medians: oks.map((x) => x.median_ms) };
      o.median_ms = median(oks.map((x) => x.median_ms)); o.min_ms = Math.min(...oks.map((x) => x.min_ms)); o.max_ms = Math.max(...oks.map((x) => x.max_ms));
      o.n = oks.reduce((t, x) => t + x.n, 0); o.mbps = r.bytes / 1e6 / (o.median_ms / 1e3);
      o.others_cpu = Math.max(...oks.map((x) => x.others_cpu || 0));
      if (r.net_ms !== undefined) {
        o.run_net = oks.map((x) => x.net_ms); o.net_ms = median(o.run_net); o.net_min_ms = Math.min(...oks.map((x) => x.net_min_ms));
        o.startup_ms = median(oks.map((x) => x.startup_ms)); o.net_mbps = r.bytes / 1e6 / (o.net_ms / 1e3);
      }
      return o;
    });
    if (base.coldStart) for (const [name, c] of Object.entries(base.coldStart.adapters)) {
      const all = runs.map((R) => R.coldStart?.adapters?.[name]).filter((x) => x && !x.error);
      for (const f of ['import_ms', 'first_op_ms', 'process_wall_ms', 'process_minus_bare_ms']) c[f] = median(all.map((x) => x[f]));
      for (const f of ['import_min_ms', 'first_op_min_ms']) c[f] = Math.min(...all.map((x) => x[f]));
      c.runs = all.length;
    }
    if (base.coldStart) base.coldStart.node_bare_process_ms = median(runs.map((R) => R.coldStart?.node_bare_process_ms).filter(Boolean));
    if (base.startup) for (const key of Object.keys(base.startup)) base.startup[key] = median(runs.map((R) => R.startup?.[key]).filter((x) => x !== undefined));
    base.meta.combined_from = opt.combine;
    base.meta.runs = runs.map((R, i) => ({ file: opt.combine[i], date: R.meta.date, total_runtime_s: R.meta.total_runtime_s, budget_ms: R.meta.budget_ms, sizes: R.meta.sizes, contamination: R.meta.contamination }));
    const okc = base.results.filter((r) => r.status === 'ok');
    base.meta.contamination = { ...(base.meta.contamination || {}), cells: okc.length, cells_over_threshold: okc.filter((r) => r.others_cpu > (base.meta.contamination?.threshold ?? OTHERS_MAX)).length,
      reran_cells: runs.reduce((t, R) => t + (R.meta.contamination?.reran_cells || 0), 0), idle_wait_total_s: Number(runs.reduce((t, R) => t + (R.meta.contamination?.idle_wait_total_s || 0), 0).toFixed(1)) };
    fs.writeFileSync(`${opt.out}.json`, JSON.stringify(base, null, 1));
    fs.writeFileSync(`${opt.out}.md`, toMarkdown(base));
    console.error(`combined ${runs.length} runs -> ${opt.out}.json / ${opt.out}.md`);
    return;
  }
  if (opt.render) {
    const R = JSON.parse(fs.readFileSync(opt.render, 'utf8'));
    fs.writeFileSync(`${opt.out}.md`, toMarkdown(R)); console.error(`wrote ${opt.out}.md`); return;
  }
  const specs = [...DEFAULT_ADAPTERS, ...opt.adapter.map((p) => pathToFileURL(path.resolve(p)).href)];
  let adapters = [];
  for (const s of specs) adapters.push((await import(s)).default);
  if (opt.only.length) adapters = adapters.filter((a) => opt.only.includes(a.name));
  const keys = loadKeys();
  for (const a of adapters) await a.setup(keys);
  for (const a of adapters) if (a.helperPids) HELPER_PIDS.push(...a.helperPids());

  if (opt['rerun-contaminated']) {
    const R = JSON.parse(fs.readFileSync(opt['rerun-contaminated'], 'utf8'));
    const thr = R.meta.contamination?.threshold ?? OTHERS_MAX;
    const todo = R.results.filter((r) => (r.status === 'ok' && (r.others_cpu || 0) > thr) || (opt['rerun-errors'] && r.status === 'error'));
    console.error(`re-measuring ${todo.length} cells`);
    const dataCache = new Map();
    for (const old of todo) {
      const a = adapters.find((x) => x.name === old.adapter), op = OPS.find((o) => o.id === old.op), size = SIZES.find((z) => z.key === old.size) || { key: old.size, ...SIZE_DEFS[old.size] };
      if (!a || !op) continue;
      const dk = `${old.payload}|${old.size}`;
      if (!dataCache.has(dk)) { dataCache.clear(); dataCache.set(dk, old.payload === 'random' ? randomPayload(size.bytes) : mimePayload(size.bytes)); }
      await waitIdle();
      const r = await runCell(a, op, old.keyType, size, old.payload, dataCache.get(dk));
      r.remeasured = true; r.previous = { status: old.status, reason: old.reason, median_ms: old.median_ms, min_ms: old.min_ms, others_cpu: old.others_cpu };
      R.results[R.results.indexOf(old)] = r;
      console.error(`${old.payload} ${old.size} ${old.op} ${old.keyType} ${old.adapter}: ${old.status === 'ok' ? fmtMs(old.median_ms) : old.status} -> ${r.status === 'ok' ? fmtMs(r.median_ms) + ' ms' : r.status + ': ' + r.reason} (others ${old.others_cpu} -> ${r.others_cpu})`);
    }
    const ok = R.results.filter((r) => r.status === 'ok');
    Object.assign(R.meta.contamination, { max_others_cpu: Math.max(0, ...ok.map((r) => r.others_cpu || 0)),
      cells_over_threshold: ok.filter((r) => (r.others_cpu || 0) > thr).length, reran_cells: ok.filter((r) => r.reruns || r.remeasured).length,
      idle_wait_total_s: Number(((R.meta.contamination.idle_wait_total_s || 0) + IDLE_WAIT_TOTAL_S).toFixed(1)), remeasured_cells: todo.length });
    R.meta.remeasured_at = new Date().toISOString();
    for (const a of adapters) if (a.teardown) await a.teardown();
    fs.writeFileSync(`${opt.out}.json`, JSON.stringify(R, null, 1));
    fs.writeFileSync(`${opt.out}.md`, toMarkdown(R));
    console.error(`wrote ${opt.out}.json and ${opt.out}.md`);
    return;
  }

  const R = {
    meta: {
      date: new Date().toISOString(), node: process.versions.node, v8: process.versions.v8, os: `${os.type()} ${os.release()}`,
      cpu: os.cpus()[0]?.model, cores: os.cpus().length, gc: hasGC, budget_ms: Number(BUDGET_NS) / 1e6,
      sizes: SIZES.map((s) => ({ key: s.key, bytes: s.bytes, warm: s.warm, minN: s.minN, maxN: s.maxN })), payloads: PAYLOADS,
      adapters: adapters.map((a) => ({ name: a.name, version: a.version, families: a.families, native: !!a.native })),
      roundtrip_payload: 'realistic MIME text, 100 KiB (102400 bytes)',
    },
  };
  if (!hasGC) console.error('warning: run with --expose-gc for steadier large-payload timings');
  { const w = await waitIdle(300); R.meta.initial_idle_wait_s = w; if (w !== 0) console.error(`waited ${w}s for an idle machine`); }

  const native = adapters.find((a) => a.native);
  if (native) {
    R.startup = { 'openssl version': native.overheadMs('smime', 30), 'gpg --version': native.overheadMs('pgp', 30) };
    if (native.gpgKeyringOpenMs) R.startup['gpg --list-keys (keyring open, no crypto)'] = native.gpgKeyringOpenMs(30);
    const t = []; for (let i = 0; i < 30; i++) { const s = process.hrtime.bigint(); spawnSync('/bin/true', [], { stdio: 'ignore' }); t.push(ms(process.hrtime.bigint() - s)); }
    R.startup['/bin/true (spawnSync floor)'] = median(t);
  }
  if (!opt['skip-cold']) { console.error('cold start…'); R.coldStart = coldStart(adapters); }
  if (!opt['skip-bundles']) { console.error('bundle sizes…'); R.bundles = await bundleSizes(adapters); }
  if (!opt['skip-roundtrip']) { console.error('round trips…'); R.roundtrip = await roundTrips(adapters, mimePayload(102400)); }

  R.results = [];
  if (!opt['skip-bench']) {
    for (const payload of PAYLOADS) {
      for (const size of SIZES) {
        const data = payload === 'random' ? randomPayload(size.bytes) : mimePayload(size.bytes);
        for (const op of OPS) for (const kt of keyTypesFor(op)) for (const a of adapters) {
          if (!a.families.includes(op.family)) continue;
          const r = await runCell(a, op, kt, size, payload, data);
          R.results.push(r);
          const show = r.status === 'ok' ? `${fmtMs(r.median_ms)} ms (n=${r.n})${r.net_ms !== undefined ? ` net ${fmtMs(r.net_ms)}` : ''}` : `${r.status}: ${r.reason}`;
          console.error(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${payload} ${size.label} ${op.id} ${kt} ${a.name}: ${show}`);
        }
      }
    }
  }
  R.meta.total_runtime_s = (Date.now() - t0) / 1000;
  const ok = R.results.filter((r) => r.status === 'ok');
  R.meta.contamination = { cells: ok.length, max_others_cpu: Math.max(0, ...ok.map((r) => r.others_cpu || 0)),
    cells_over_threshold: ok.filter((r) => (r.others_cpu || 0) > OTHERS_MAX).length, reran_cells: ok.filter((r) => r.reruns).length, threshold: OTHERS_MAX,
    idle_wait_total_s: Number(IDLE_WAIT_TOTAL_S.toFixed(1)) };
  for (const a of adapters) if (a.teardown) await a.teardown();
  fs.writeFileSync(`${opt.out}.json`, JSON.stringify(R, null, 1));
  fs.writeFileSync(`${opt.out}.md`, toMarkdown(R));
  console.error(`wrote ${opt.out}.json and ${opt.out}.md in ${R.meta.total_runtime_s.toFixed(0)} s`);
}

main().catch((e) => { console.error(e); process.exit(1); });
