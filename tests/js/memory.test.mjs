// Memory that never comes back (issue 13). WebAssembly memory only grows, so what one hostile
// message makes it grow to stays for the life of the page or Worker isolate. A compression
// bomb (gpg: 256 MiB of zeros in a 250 KB message) must be refused having grown memory by at
// most the output limit (64 MiB) and a few MiB for the message itself: SECURITY.md. Its own
// file, so the module is fresh (node --test runs each file in its own process).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Keyring, memoryBytes, open } from "mailseal";
import { DATA, have, rejectsCode } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));
const MiB = 1024 * 1024;

const pgpMime = (armored) =>
  Buffer.concat([
    Buffer.from(
      'From: alice@example.org\r\nTo: bob@example.org\r\nSubject: zeros\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\r\n\r\n' +
        "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n" +
        '--b\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n',
    ),
    armored,
    Buffer.from("\r\n--b--\r\n"),
  ]);

test("a compression bomb grows wasm memory by at most the output limit and a piece", async (t) => {
  if (!have("gpg", t)) return;
  const home = mkdtempSync(join(tmpdir(), "mailseal-gpg-"));
  let bomb;
  try {
    execFileSync("gpg", ["--homedir", home, "--batch", "--import"], { input: read("openpgp/bob.pub.asc"), stdio: ["pipe", "ignore", "ignore"] });
    const bob = read("openpgp/bob.fpr").toString().trim();
    bomb = execFileSync(
      "gpg",
      ["--homedir", home, "--batch", "--no-tty", "--trust-model", "always", "-z", "9", "--compress-algo", "ZLIB", "-a", "-e", "-r", bob, "-o", "-"],
      { input: Buffer.alloc(256 * MiB), maxBuffer: 1 << 26 },
    );
  } finally {
    spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
    rmSync(home, { recursive: true, force: true });
  }
  assert.ok(bomb.length < MiB, `${bomb.length} bytes`);
  const ring = new Keyring();
  ring.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
  const before = memoryBytes();
  await rejectsCode(() => open(ring, pgpMime(bomb), { now }), "too_large", "the bomb");
  const grown = memoryBytes() - before;
  // 64 MiB of output in 1 MiB pieces, and the message's own copies (armored, binary,
  // decrypted: ~1 MiB each here): 67.5 MiB measured. The review measured 259 MiB after a 1.1 KB
  // bomb when the output was read into one doubling buffer.
  assert.ok(grown <= 64 * MiB + 8 * MiB, `memory grew by ${(grown / MiB).toFixed(1)} MiB (limit 64 MiB + 8 MiB)`);
  assert.ok(memoryBytes() < 128 * 1000 * 1000, `${(memoryBytes() / MiB).toFixed(1)} MiB: over a Worker's 128 MB`);
  // the module and the keyring still work, within the same memory
  const o = await open(ring, pgpMime(read("openpgp/enc-alice-bob.asc")), { now });
  assert.equal(o.encryption.state, "decrypted");
  assert.ok(memoryBytes() < 128 * 1000 * 1000);
});
