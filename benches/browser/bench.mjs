#!/usr/bin/env node
/**
 * The Chromium side of `make bench`: peerbench's JavaScript columns (benches/peers/adapters:
 * OpenPGP.js, PKI.js, node-forge, mailseal) timed in a dedicated module Web Worker of headless
 * Debian chromium (playwright-core), offline, on the libraries' browser builds served from a
 * local server. Writes PREFIX.json in the shape of benches/peers/bench.mjs's results, so that
 * `bench.mjs --combine` combines runs and renders them. See README.md.
 *
 *   node bench.mjs [--quick] [--sizes 1k,1m,10m] [--payloads random,mime] [--budget-ms MS]
 *                  [--only NAME]... [--skip-cold] [--mailseal DIR] [--out PREFIX]
 *
 * --mailseal DIR: the package's web build (default pkg/dist/web); --skip-cold: no module-load times.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, COLUMNS, PEERS } from './build.mjs';
import { guarded, OTHERS_MAX, stats, waitIdle } from './guard.mjs';
import { OPS, SIZE_DEFS, keyTypesFor } from './page/ops.mjs';
import { mimePayload } from '../peers/payloads.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..', '..');
const OUT = path.join(HERE, 'out');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const { startServer } = await import(path.join(ROOT, 'scripts', 'serve.mjs'));

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    sizes: { type: 'string' },
    payloads: { type: 'string', default: 'random,mime' },
    'budget-ms': { type: 'string' },
    out: { type: 'string', default: 'results-chromium' },
    mailseal: { type: 'string', default: path.join(ROOT, 'pkg', 'dist', 'web') },
    'skip-cold': { type: 'boolean', default: false },
    // bench.mjs options that `make bench` passes to both harnesses (BENCH_ARGS): nothing to skip here.
    'skip-bundles': { type: 'boolean', default: false },
    'skip-roundtrip': { type: 'boolean', default: false },
  },
});

// Sizes, N and budget exactly as bench.mjs chooses them.
const SIZES = (opt.sizes ?? (opt.quick ? '1k,1m' : '1k,1m,10m')).split(',').map((key) => ({ key, ...SIZE_DEFS[key] }));
if (opt.quick) for (const s of SIZES) { s.maxN = Math.min(s.maxN, 7); s.minN = Math.min(s.minN, 3); }
const PAYLOADS = opt.payloads.split(',');
const BUDGET_MS = Number(opt['budget-ms'] ?? (opt.quick ? 300 : 1200));
const columns = COLUMNS.filter((c) => !opt.only.length || opt.only.includes(c.name));
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

function checkInputs() {
  for (const f of ['mailseal.js', 'mailseal_bg.wasm']) {
    if (!fs.existsSync(path.join(opt.mailseal, f))) throw new Error(`${opt.mailseal}/${f} missing: run make pkg (or pass --mailseal DIR)`);
  }
  if (!fs.existsSync(path.join(PEERS, 'keys', 'x509', 'rsa2048.crt'))) throw new Error('benches/peers/keys missing: run benches/peers/gen-keys.sh');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/setup.sh as root (installs chromium)`);
}

/** The realistic-MIME payloads, the same bytes bench.mjs times, as files for the worker to fetch. */
function writePayloads() {
  fs.mkdirSync(path.join(OUT, 'payloads'), { recursive: true });
  if (!PAYLOADS.includes('mime')) return;
  for (const s of SIZES) fs.writeFileSync(path.join(OUT, 'payloads', `mime-${s.bytes}.bin`), mimePayload(s.bytes));
}

async function serve() {
  const { server, url } = await startServer({
    host: '127.0.0.1',
    port: 0,
    mounts: [ // longest prefixes first
      ['/lib/openpgp/', path.join(PEERS, 'node_modules', 'openpgp', 'dist')],
      ['/lib/', path.join(OUT, 'lib')],
      ['/adapters/', path.join(OUT, 'adapters')],
      ['/payloads/', path.join(OUT, 'payloads')],
      ['/mailseal/', path.resolve(opt.mailseal)],
      ['/keys/pgp/', path.join(PEERS, 'keys', 'pgp')],
      ['/keys/x509/', path.join(PEERS, 'keys', 'x509')],
      ['/', path.join(HERE, 'page')],
    ],
  });
  // Cross-origin isolation: performance.now() then ticks every 5 µs instead of every 100 µs.
  server.prependListener('request', (req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  });
  return { server, url };
}

async function launch(base) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--js-flags=--expose-gc', // gc() before each timed call of >= 1 MiB, as bench.mjs under node --expose-gc
      // No network: no host name resolves, and any other address goes to a closed port (loopback is never proxied).
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--proxy-server=127.0.0.1:9',
    ],
  });
  const page = await (await browser.newContext()).newPage();
  const offsite = [];
  page.on('request', (r) => !r.url().startsWith(base) && offsite.push(r.url()));
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`page console: ${m.text()}`));
  await page.goto(base);
  return { browser, page, offsite };
}

/** bench.mjs's coldStart, for a fresh worker instead of a fresh node process (so --combine and the renderer take it as is). */
async function moduleLoad(page, reps = 7) {
  const sample = (url, init) => page.evaluate(([u, i]) => window.loadSample(u, i), [url, init]);
  const bare = [];
  for (let i = 0; i < reps; i++) bare.push((await sample(null, false)).wallMs);
  const out = { reps, worker: true, node_bare_process_ms: median(bare), adapters: {} };
  for (const c of columns) {
    const imp = [], wall = [];
    for (let i = 0; i < reps; i++) {
      const s = await sample(c.module, !!c.init);
      imp.push(s.importMs);
      wall.push(s.wallMs);
    }
    out.adapters[c.name] = { module: c.module, import_ms: median(imp), import_min_ms: Math.min(...imp),
      process_wall_ms: median(wall), process_minus_bare_ms: median(wall) - out.node_bare_process_ms };
    console.error(`module load ${c.name}: ${fmtMs(median(imp))} ms`);
  }
  return out;
}

async function startRunner(page) {
  const [worker] = await Promise.all([
    page.waitForEvent('worker', (w) => w.url().endsWith('/runner.mjs')),
    page.evaluate(() => window.startRunner()),
  ]);
  return (fn, arg) => worker.evaluate(([f, a]) => self.bench[f](a), [fn, arg]);
}

async function main() {
  const t0 = Date.now();
  checkInputs();
  await build(OUT);
  writePayloads();
  const { server, url } = await serve();
  const { browser, page, offsite } = await launch(url);
  try {
    const R = { meta: { date: new Date().toISOString(), browser: `Chromium ${browser.version()}`, worker: 'dedicated module Web Worker',
      host_node: process.versions.node, os: `${os.type()} ${os.release()}`, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
      budget_ms: BUDGET_MS, sizes: SIZES.map(({ key, bytes, warm, minN, maxN }) => ({ key, bytes, warm, minN, maxN })), payloads: PAYLOADS,
      mailseal_web: path.relative(ROOT, path.resolve(opt.mailseal)) } };
    const w = await waitIdle(300);
    R.meta.initial_idle_wait_s = w;
    if (w !== 0) console.error(`waited ${w}s for an idle machine`);
    if (!opt['skip-cold']) R.coldStart = await moduleLoad(page);

    const call = await startRunner(page);
    const env = await call('environment');
    Object.assign(R.meta, { user_agent: env.userAgent, cross_origin_isolated: env.crossOriginIsolated, timer_step_ms: env.timerStepMs, gc: env.gc });
    const adapters = await call('load', columns.map((c) => c.bundle));
    R.meta.adapters = adapters;

    R.results = [];
    for (const payload of PAYLOADS) {
      for (const size of SIZES) {
        await call('payload', { kind: payload, bytes: size.bytes });
        for (const op of OPS) for (const kt of keyTypesFor(op)) for (const a of adapters) {
          if (!a.families.includes(op.family)) continue;
          const base = { family: op.family, op: op.id, opLabel: op.label, variant: op.variant?.key ?? null, keyType: kt,
            payload, size: size.key, bytes: size.bytes, adapter: a.name };
          const r = { ...base, ...(await guarded(() => call('cell', { opId: op.id, kt, adapter: a.name, size, budgetMs: BUDGET_MS }))) };
          R.results.push(r);
          const show = r.status === 'ok' ? `${fmtMs(r.median_ms)} ms (n=${r.n})` : `${r.status}: ${r.reason}`;
          console.error(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${payload} ${size.label} ${op.id} ${kt} ${a.name}: ${show}`);
        }
      }
    }
    if (offsite.length) throw new Error(`off-site requests (the harness must not need any): ${offsite.join(', ')}`);

    const ok = R.results.filter((r) => r.status === 'ok');
    R.meta.total_runtime_s = (Date.now() - t0) / 1000;
    R.meta.contamination = { cells: ok.length, max_others_cpu: Math.max(0, ...ok.map((r) => r.others_cpu)),
      cells_over_threshold: ok.filter((r) => r.others_cpu > OTHERS_MAX).length, reran_cells: ok.filter((r) => r.reruns).length,
      threshold: OTHERS_MAX, idle_wait_total_s: Number(stats.idleWaitS.toFixed(1)) };
    fs.writeFileSync(`${opt.out}.json`, JSON.stringify(R, null, 1));
    console.error(`wrote ${opt.out}.json in ${R.meta.total_runtime_s.toFixed(0)} s`);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
