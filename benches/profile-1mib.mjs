// protect → open of a Draft with a 1 MiB attachment to oneself, through a built package, for
// comparing build profiles (benches/SIZE.md "Speed of the opt-level steps"). Prints ms per
// step, three runs each. Add `node --cpu-prof` to see where the time goes (build the .wasm
// through wasm-bindgen without --remove-name-section to keep function names).
//   node benches/profile-1mib.mjs [package dir, default pkg/dist] [pgp|smime]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dist = resolve(process.argv[2] ?? 'pkg/dist');
const { Keyring, protect, open } = await import(`${dist}/node/mailseal.js`);
const data = (f) => readFileSync(new URL(`../tests/data/${f}`, import.meta.url));
const now = new Date('2026-12-01T00:00:00Z');
const payload = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 251);

const setups = {
  pgp: (ring) => { ring.import(data('openpgp/alice.sec.asc')); return 'alice@example.org'; },
  smime: (ring) => {
    ring.import(data('smime/root-ca.crt'), { trusted: true });
    for (const f of ['smime/int-ca.crt', 'smime/alice.crt', 'smime/alice.key']) ring.import(data(f));
    return 'alice@example.com';
  },
};
for (const method of process.argv[3] ? [process.argv[3]] : Object.keys(setups)) {
  const ring = new Keyring();
  const addr = setups[method](ring);
  for (const [sign, encrypt] of [[true, false], [false, true], [true, true]]) {
    for (let run = 0; run < 3; run++) {
      let t = performance.now();
      const draft = { from: addr, to: [addr], subject: 'b', attachments: [{ filename: 'p.bin', contentType: 'application/octet-stream', data: payload }] };
      const p = await protect(ring, draft, { sign, encrypt, method, now });
      const tp = performance.now() - t;
      t = performance.now();
      const o = await open(ring, p.deliveries[0].mime, { now });
      const to = performance.now() - t;
      console.log(`${method.padEnd(6)} sign=${sign} encrypt=${encrypt}  protect ${tp.toFixed(1)} ms  open ${to.toFixed(1)} ms  (${o.encryption.state}/${o.signature.state})`);
    }
  }
  ring.free();
}
