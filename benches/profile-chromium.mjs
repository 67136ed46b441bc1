// Where a protect of a 1 MiB attachment spends its time in headless Chromium: a page loads a web
// build of mailseal and the bench keys from a local server (no network), protects 40 times
// under CDP's Profiler (sampling every 50 µs), and prints the functions with the most self time.
// Build the .wasm through wasm-bindgen without --remove-name-section to see Rust function names:
//   cargo build --release --target wasm32-unknown-unknown --lib
//   wasm-bindgen --target web --out-dir /tmp/named/web target/wasm32-unknown-unknown/release/mailseal.wasm
//   node benches/profile-chromium.mjs /tmp/named smime sign p256
// Arguments: a directory with web/mailseal.js, smime|pgp, sign|encrypt|both, a key type of
// benches/peers/keys (rsa2048, rsa3072, p256, ed25519). The profile is also written to
// chromium.cpuprofile in the current directory (Chrome DevTools opens it).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(HERE, 'browser', 'package.json'))('playwright-core');
const [dist = path.join(HERE, '..', 'pkg', 'dist'), method = 'smime', op = 'sign', kt = 'p256'] = process.argv.slice(2);
const REPS = 40;

const roots = { '/web/': path.join(dist, 'web'), '/keys/': path.join(HERE, 'peers', 'keys') };
const server = http.createServer((req, res) => {
  if (req.url === '/') return res.end('<!doctype html><title>profile</title>');
  for (const [prefix, dir] of Object.entries(roots)) {
    if (!req.url.startsWith(prefix)) continue;
    const file = path.join(dir, path.normalize(req.url.slice(prefix.length)));
    if (!file.startsWith(dir) || !fs.existsSync(file)) break;
    res.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
    return res.end(fs.readFileSync(file));
  }
  res.statusCode = 404;
  res.end();
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.evaluate(async ([method, kt]) => {
    const m = await import('/web/mailseal.js');
    await m.default({ module_or_path: '/web/mailseal_bg.wasm' });
    const get = async (p) => new Uint8Array(await (await fetch(`/keys/${p}`)).arrayBuffer());
    const ring = new m.Keyring();
    if (method === 'smime') {
      ring.import(await get(`x509/${kt}.crt.der`), { trusted: true });
      ring.import(await get(`x509/${kt}.p12`), { passphrase: 'bench' });
    } else {
      ring.import(await get(`pgp/${kt}.sec.asc`), { trusted: true });
    }
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const a = `${kt}@bench.test`;
    const draft = { from: a, to: [a], subject: 'profile', attachments: [{ filename: 'p.bin', contentType: 'application/octet-stream', data }] };
    window.run = async (op, reps) => {
      const ms = [];
      for (let r = 0; r < reps; r++) {
        const t = performance.now();
        await m.protect(ring, draft, { sign: op !== 'encrypt', encrypt: op !== 'sign', method, policy: { smimeSignedForm: 'detached' } });
        ms.push(performance.now() - t);
      }
      ms.sort((x, y) => x - y);
      return `median ${ms[ms.length >> 1].toFixed(2)} ms, min ${ms[0].toFixed(2)} ms`;
    };
  }, [method, kt]);
  const run = () => page.evaluate(([op, reps]) => window.run(op, reps), [op, REPS]);
  await run(); // warm-up: V8 tiers the wasm up
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  const profiled = await run();
  const { profile } = await cdp.send('Profiler.stop');
  console.log(`${method} ${op} ${kt}, 1 MiB: ${await run()} (profiled: ${profiled})`);
  fs.writeFileSync('chromium.cpuprofile', JSON.stringify(profile));

  // Self time per function name, from the samples.
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = byId.get(id).callFrame.functionName || '(anonymous)';
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  });
  for (const [name, t] of [...self].sort((x, y) => y[1] - x[1]).slice(0, 25)) {
    console.log(`${t.toFixed(1).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 110)}`);
  }
} finally {
  await browser.close();
  server.close();
}
