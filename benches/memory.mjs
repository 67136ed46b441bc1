#!/usr/bin/env node
// Peak memory of protect and open with a 10 MiB attachment, in Node, through the built package
// (issue 12: at most 3x the message, in wasm and in the JavaScript heap). Each case runs in a
// fresh child process so that its peaks are its own. Writes benches/MEMORY.md.
//
//   node benches/memory.mjs [package dir, default pkg/dist]
//
// Measured per case, as the growth over the process after loading the package, importing the
// keys and making the payload:
// - wasm: the module's linear memory (it only grows, so its size after the call is its peak);
// - JS heap: V8's used heap plus ArrayBuffers (where the message bytes live on the JS side),
//   sampled every millisecond during the call and once after it;
// - process: the peak resident set (VmHWM), everything together.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1 << 20;
const SIZE = 10 * MiB;
const CASES = [
  ['smime', 'protect', 'S/MIME sign + encrypt'],
  ['smime', 'open', 'S/MIME decrypt + verify'],
  ['pgp', 'protect', 'OpenPGP sign + encrypt'],
  ['pgp', 'open', 'OpenPGP decrypt + verify'],
];

if (process.argv[2] === '--child') {
  const [, , , dist, method, step, file] = process.argv;
  // The package instantiates its module with `new WebAssembly.Instance`: keep a hand on the
  // instance's memory to read its size.
  let memory = null;
  const Instance = WebAssembly.Instance;
  WebAssembly.Instance = function (module, imports) {
    const instance = new Instance(module, imports);
    memory ??= instance.exports.memory;
    return instance;
  };
  const { Keyring, protect, open } = await import(join(dist, 'node', 'mailseal.js'));
  const data = (f) => readFileSync(join(here, '..', 'tests', 'data', f));
  const now = new Date('2026-12-01T00:00:00Z');
  const ring = new Keyring();
  let from;
  if (method === 'smime') {
    ring.import(data('smime/root-ca.crt'), { trusted: true, now });
    for (const f of ['smime/int-ca.crt', 'smime/alice.crt', 'smime/alice.key']) ring.import(data(f), { now });
    from = 'alice@example.com';
  } else {
    ring.import(data('openpgp/alice.sec.asc'), { trusted: true, now });
    from = 'alice@example.org';
  }
  const payload = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
  const draft = { from, to: [from], subject: '10 MiB', attachments: [{ filename: 'p.bin', contentType: 'application/octet-stream', data: payload }] };
  const opts = { sign: true, encrypt: true, method, now };
  // open's input was made by a protect child (its file): the baseline holds it, as protect's
  // holds the payload, and this process's wasm memory has not grown for it.
  const input = step === 'open' ? new Uint8Array(readFileSync(file)) : null;
  globalThis.gc();
  const js = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
  const rss = process.memoryUsage().rss;
  // VmHWM only falls when reset: write 5 to clear_refs so the peak starts at the baseline.
  try { writeFileSync('/proc/self/clear_refs', '5'); } catch { /* older kernels: the peak includes setup */ }
  const base = { wasm: memory.buffer.byteLength, js: js(), hwm: hwm() };
  let jsPeak = base.js;
  const sampler = setInterval(() => { jsPeak = Math.max(jsPeak, js()); }, 1);
  const out = step === 'open' ? await open(ring, input, { now }) : await protect(ring, draft, opts);
  clearInterval(sampler);
  jsPeak = Math.max(jsPeak, js());
  const ok = step === 'open' ? out.attachments[0]?.data.length === SIZE && out.signature.state === 'valid' : out.deliveries.length === 1;
  if (!ok) throw new Error(`${method} ${step}: unexpected result`);
  if (step === 'protect' && file) writeFileSync(file, out.deliveries[0].mime);
  console.log(JSON.stringify({
    wasm: memory.buffer.byteLength - base.wasm,
    js: jsPeak - base.js,
    process: hwm() - Math.max(base.hwm, rss),
    message: (step === 'open' ? input.length : out.deliveries[0].mime.length),
  }));
  process.exit(0);
}

const dist = resolve(process.argv[2] ?? join(here, '..', 'pkg', 'dist'));
const tmp = mkdtempSync(join(tmpdir(), 'mailseal-memory-'));
const rows = [];
for (const [method, step, label] of CASES) {
  // Each protect child leaves its message for the open child after it.
  const file = join(tmp, `${method}.eml`);
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', dist, method, step, file], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop());
  const m = (b) => `${(b / MiB).toFixed(1)} MiB (${(b / SIZE).toFixed(1)}x)`;
  rows.push(`| ${label} | ${(r.message / MiB).toFixed(1)} MiB | ${m(r.wasm)} | ${m(r.js)} | ${m(r.process)} |`);
}
const text = [
  '## Peak memory with a 10 MiB attachment (Node)',
  '',
  `Written by \`node benches/memory.mjs\` (run by \`make bench\`) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}: one fresh process per case; ` +
    'growth over the process after loading the package, importing the keys and making the payload (for open: reading the message a protect process wrote). ' +
    'wasm: the module\'s linear memory (it never shrinks, so its size after the call is its peak); JS: V8\'s used heap plus ArrayBuffers, ' +
    'sampled every millisecond and after the call (the result the caller holds counts); process: peak resident set (VmHWM). ' +
    'The ratio is to the 10 MiB payload. Target (issue 12): at most 3x in wasm and in JS.',
  '',
  '| case | message | wasm | JS heap + ArrayBuffers | process peak RSS |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
rmSync(tmp, { recursive: true, force: true });
writeFileSync(join(here, 'MEMORY.md'), text);
process.stdout.write(text);
