#!/usr/bin/env node
// The work budget for hostile input (issue 13), checked on the worst inputs we know of: each is
// built to hit one reader where it is weakest (many short lines, many tiny parts, deep nesting,
// huge headers, long lines, many packets, many SET elements, a compression bomb). Each case runs
// `open` on Bob's desk (both standards) in a fresh Node process through the built package and
// must stay within the budget SECURITY.md states:
//
//   time:   at most 400 ms per MiB of input, plus 250 ms for producing output up to the
//           64 MiB limit (a bomb is small and costs its output), and at most 1 s for any case;
//   memory: wasm memory grows by at most the output limit (64 MiB) + 4 x the input + 4 MiB.
//
// It exits non-zero when a case is over, and writes benches/HOSTILE.md.
//
//   node benches/hostile.mjs [package dir, default pkg]
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const MiB = 1 << 20;
const BUDGET_MS_PER_MIB = 400;
const BUDGET_MS_OUTPUT = 250;
const BUDGET_MS_MAX = 1000;
const OUTPUT_LIMIT = 64 * MiB;

const mail = (headers, body) =>
  Buffer.concat([Buffer.from(`From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n${headers}\r\n\r\n`), body]);
const b64lines = (bytes) => Buffer.from(bytes.toString("base64").replace(/.{76}/g, "$&\r\n"));
const armor = (label, bytes) => Buffer.from(`-----BEGIN PGP ${label}-----\r\n\r\n${bytes.toString("base64").replace(/.{64}/g, "$&\r\n")}\r\n-----END PGP ${label}-----\r\n`);
/** An OpenPGP packet (new format), `tag` and body. */
const packet = (tag, body) => {
  const len = body.length;
  const head = len < 192 ? [len] : len < 8384 ? [((len - 192) >> 8) + 192, (len - 192) & 0xff] : [0xff, len >>> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff];
  return Buffer.concat([Buffer.from([0xc0 | tag, ...head]), body]);
};

/** name -> [what, () => the message] */
const CASES = {
  "cleartext-lines": ["1 MiB cleartext-signed text in 2-byte lines", () => {
    const text = "a\n".repeat(MiB / 2);
    return mail("Content-Type: text/plain", Buffer.from(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${text}-----BEGIN PGP SIGNATURE-----\n\nwsBcBAEBCAAQBQJnAAAACRAAAAAAAAAAAAAAAA==\n-----END PGP SIGNATURE-----\n`));
  }],
  "ber-sets": ["10 MiB BER SignedData: 160,000 SET elements, each twice", () => {
    const n = 80_000;
    const elements = Buffer.alloc(n * 2 * 66);
    for (let i = 0; i < n * 2; i++) {
      elements[i * 66] = 0x04;
      elements[i * 66 + 1] = 64;
      elements.writeUInt32BE(i >> 1, i * 66 + 2);
    }
    const h = (x) => Buffer.from(x, "hex");
    const p7m = Buffer.concat([h("3080"), h("06092a864886f70d010702"), h("a080"), h("3080"), h("020101"), h("3100"), h("300b06092a864886f70d010701"), h("a080"), elements, h("0000"), h("3100"), h("000000000000")]);
    return mail('Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\nContent-Transfer-Encoding: base64', b64lines(p7m));
  }],
  "mime-parts": ["1 MiB multipart/mixed of tiny parts", () => {
    const part = "--b\r\n\r\nx\r\n";
    return mail('Content-Type: multipart/mixed; boundary="b"', Buffer.from(part.repeat(Math.floor(MiB / part.length)) + "--b--\r\n"));
  }],
  "mime-depth": ["multiparts nested 10,000 deep", () => {
    let body = "";
    for (let i = 0; i < 10_000; i++) body += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`;
    return mail('Content-Type: multipart/mixed; boundary="b0"', Buffer.from(body));
  }],
  "headers": ["1 MiB of header fields", () => {
    const line = "X-Filler: 0123456789abcdef\r\n";
    return mail("Content-Type: text/plain" + "\r\n" + line.repeat(Math.floor(MiB / line.length)).trimEnd(), Buffer.from("body\r\n"));
  }],
  "long-line": ["a 10 MiB attachment in one base64 line", () => {
    const data = Buffer.alloc(7.5 * MiB, 0x41);
    return mail('Content-Type: multipart/mixed; boundary="b"', Buffer.concat([Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/octet-stream; name="a.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'), Buffer.from(data.toString("base64")), Buffer.from("\r\n--b--\r\n")]));
  }],
  "html-armor": ["1 MiB of HTML-wrapped armor, a tag per character", () => {
    const inner = "<span>A</span>".repeat(Math.floor(MiB / 14));
    return mail("Content-Type: text/html", Buffer.from(`<p>-----BEGIN PGP MESSAGE-----</p><p></p><p>${inner}</p><p>-----END PGP MESSAGE-----</p>`));
  }],
  "pgp-packets": ["1 MiB PGP/MIME message of 100,000 tiny PKESK packets", () => {
    const pkesk = packet(1, Buffer.from([3, 1, 2, 3, 4, 5, 6, 7, 8, 1, 0, 1, 0]));
    const bytes = Buffer.concat([...Array(Math.floor(MiB / pkesk.length)).fill(pkesk), packet(18, Buffer.from([1, 0, 0, 0]))]);
    return mail('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"', Buffer.concat([Buffer.from("--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n"), armor("MESSAGE", bytes), Buffer.from("--b--\r\n")]));
  }],
  "bomb": ["a 260 KB inline OpenPGP message: 256 MiB of zeros, compressed", () => {
    const size = 256 * MiB;
    const literal = Buffer.concat([Buffer.from([0xcb, 0xff, (size + 6) >>> 24, ((size + 6) >> 16) & 0xff, ((size + 6) >> 8) & 0xff, (size + 6) & 0xff, 0x62, 0, 0, 0, 0, 0]), Buffer.alloc(size)]);
    const compressed = packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(literal, { level: 9 })]));
    return mail("Content-Type: text/plain", armor("MESSAGE", compressed));
  }],
};

if (process.argv[2] === "--child") {
  const [, , , pkgDir, name] = process.argv;
  const { Keyring, open, memoryBytes } = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
  const now = new Date("2026-12-01T00:00:00Z");
  const data = (p) => readFileSync(join(root, "tests", "data", p));
  const ring = new Keyring();
  ring.import(data("smime/root-ca.crt"), { now, trusted: true });
  ring.import(Buffer.concat([data("smime/bob.crt"), data("smime/bob.key")]), { now });
  ring.import(data("openpgp/bob.sec.asc"), { now, trusted: true });
  const message = CASES[name][1]();
  const before = memoryBytes();
  const start = performance.now();
  let outcome;
  try {
    const o = await open(ring, message, { now });
    outcome = `${o.encryption.state}/${o.signature.state}`;
  } catch (e) {
    outcome = e.code ?? String(e);
  }
  const ms = performance.now() - start;
  console.log(JSON.stringify({ bytes: message.length, ms, grown: memoryBytes() - before, outcome }));
  process.exit(0);
}

const pkgDir = resolve(process.argv[2] ?? join(root, "pkg"));
const rows = [];
let over = 0;
for (const [name, [what]] of Object.entries(CASES)) {
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", pkgDir, name], { encoding: "utf8", maxBuffer: 1 << 20 })));
  const r = runs.sort((a, b) => a.ms - b.ms)[1]; // the median of 3
  const mib = r.bytes / MiB;
  const timeBudget = Math.min(BUDGET_MS_MAX, BUDGET_MS_PER_MIB * mib + BUDGET_MS_OUTPUT);
  const memoryBudget = OUTPUT_LIMIT + 4 * r.bytes + 4 * MiB;
  const ok = r.ms <= timeBudget && r.grown <= memoryBudget;
  if (!ok) over++;
  rows.push(`| ${name} | ${what} | ${mib.toFixed(2)} | ${r.outcome} | ${r.ms.toFixed(0)} (≤ ${timeBudget.toFixed(0)}) | ${(r.grown / MiB).toFixed(1)} (≤ ${(memoryBudget / MiB).toFixed(0)}) | ${ok ? "ok" : "**over**"} |`);
  console.log(rows.at(-1));
}
const md = `# Hostile input: work per case (benches/hostile.mjs)

\`open\` on Bob's desk (both standards) in Node ${process.version}, a fresh process per case,
median of 3, on the reference 2-core machine. Budget (SECURITY.md): at most ${BUDGET_MS_PER_MIB} ms per MiB
of input plus ${BUDGET_MS_OUTPUT} ms for output up to the 64 MiB limit, 1 s per case at most; wasm memory
grown by at most the output limit (64 MiB) + 4 x the input + 4 MiB.

| case | input | MiB | outcome | ms (budget) | wasm MiB grown (budget) | |
|---|---|---:|---|---:|---:|---|
${rows.join("\n")}
`;
writeFileSync(join(here, "HOSTILE.md"), md);
console.log(over ? `hostile: ${over} case(s) over budget` : "hostile: every case within budget");
process.exit(over ? 1 : 0);
