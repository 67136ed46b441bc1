// Hostile input through the built package (issue 13): work bounded and linear in the input,
// in wasm as a page or a Worker runs it. Time bounds here are generous ceilings for a shared
// 2-core machine (the quadratic readers these replace took minutes); speed itself is measured
// in `make bench`.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { describe, test } from "node:test";
import { Keyring, open } from "mailseal";
import { DATA, have } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));
const MiB = 1024 * 1024;

/** `fn`'s result and its wall time in ms. */
async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/** A mail with `body` (already encoded as `cte`) as its only part. */
const mail = (headers, body) =>
  Buffer.concat([Buffer.from(`From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n${headers}\r\n\r\n`), body]);

const base64Lines = (bytes) => Buffer.from(bytes.toString("base64").replace(/.{76}/g, "$&\r\n"));

describe("hostile input is read in linear time", () => {
  test("1 MiB of cleartext-signed text in short lines (gpg --clearsign) opens, valid, under 1 s", async (t) => {
    if (!have("gpg", t)) return;
    // ~40,000 short lines, some starting with a dash (escaped by gpg) or ending in spaces
    const lines = [];
    for (let i = 0, size = 0; size < MiB; i++) {
      lines.push(i % 7 === 0 ? `- item ${i}` : i % 11 === 0 ? `line ${i}   ` : `line ${i}`);
      size += lines[i].length + 1;
    }
    const text = lines.join("\n") + "\n";
    const home = mkdtempSync(join(tmpdir(), "mailseal-gpg-"));
    let signed;
    try {
      execFileSync("gpg", ["--homedir", home, "--batch", "--import"], { input: read("openpgp/alice.sec.asc"), stdio: ["pipe", "ignore", "ignore"] });
      const fpr = read("openpgp/alice.fpr").toString().trim();
      signed = execFileSync("gpg", ["--homedir", home, "--batch", "--no-tty", "--clearsign", "-u", fpr, "-o", "-"], { input: text, maxBuffer: 1 << 26 });
    } finally {
      spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
      rmSync(home, { recursive: true, force: true });
    }
    assert.ok(signed.length > MiB);
    const ring = new Keyring();
    ring.import(read("openpgp/alice.pub.asc"), { now, trusted: true });
    const message = mail("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit", signed);
    const [o, ms] = await timed(() => open(ring, message, { now }));
    assert.equal(o.signature.state, "valid", o.signature.detail);
    // the signed text, trailing spaces dropped as the signature framework says (RFC 9580 §7.2)
    const want = text.replace(/ +\n/g, "\n").replace(/\n/g, "\r\n").replace(/\r\n$/, "");
    assert.equal(o.text.replace(/\r?\n/g, "\r\n").replace(/\r\n$/, ""), want);
    assert.ok(ms < 1000, `opened in ${ms.toFixed(0)} ms`);
  });

  test("10 MiB of BER SET elements, each twice, are read in under 1 s", async () => {
    // A BER SignedData (indefinite lengths, as streaming writers send) whose certificates
    // [0] IMPLICIT SET OF holds 160,000 distinct 64-byte elements, each twice: deduplicating
    // a SET OF once searched all kept elements per element (quadratic).
    const n = 80_000;
    const elements = Buffer.alloc(n * 2 * 66);
    for (let i = 0; i < n; i++) {
      for (const copy of [0, 1]) {
        const at = (i * 2 + copy) * 66;
        elements[at] = 0x04;
        elements[at + 1] = 64;
        elements.writeUInt32BE(i, at + 2);
      }
    }
    const oid = (hex) => Buffer.from(hex, "hex");
    const p7m = Buffer.concat([
      oid("3080"), oid("06092a864886f70d010702"), // ContentInfo { signedData
      oid("a080"), oid("3080"), // [0] SignedData {
      oid("020101"), oid("3100"), // version 1, digestAlgorithms {}
      oid("300b06092a864886f70d010701"), // encapContentInfo { data }
      oid("a080"), elements, oid("0000"), // certificates [0] IMPLICIT SET OF, BER
      oid("3100"), // signerInfos {}
      oid("0000"), oid("0000"), oid("0000"),
    ]);
    assert.ok(p7m.length > 10 * MiB);
    const message = mail(
      'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\nContent-Transfer-Encoding: base64',
      base64Lines(p7m),
    );
    const [outcome, ms] = await timed(() => open(new Keyring(), message, { now }).then((o) => o, (e) => e));
    // not certificates: refused as damaged or opened without a valid signature, never trusted
    if (outcome instanceof Error) assert.equal(outcome.code, "malformed_message", outcome.message);
    else assert.notEqual(outcome.signature.state, "valid");
    assert.ok(ms < 1000, `read in ${ms.toFixed(0)} ms`);
  });
});
