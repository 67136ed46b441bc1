// The crypto provider (issue 12): in Node, AES-CBC/GCM and digests of large inputs run on
// node:crypto; everything else, and everything when usePlatformCrypto(false), on RustCrypto in
// wasm. Each path must open what the other wrote, and a tampered message must fail the same
// way on both. (openssl reading the node:crypto output: tests/js/flow and the worker tests.)
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Keyring, cryptoProvider, open, protect, usePlatformCrypto } from "mailseal";
import { DATA, have } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));
const payload = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 251);

function ring(...people) {
  const r = new Keyring();
  r.import(read("smime/root-ca.crt"), { trusted: true, now });
  r.import(read("smime/int-ca.crt"), { now });
  for (const p of people) r.import(Buffer.concat([read(`smime/${p}.crt`), read(`smime/${p}.key`)]), { now });
  return r;
}

const draft = {
  from: "alice@example.com",
  to: ["bob@example.com"],
  subject: "1 MiB",
  text: "see attachment\n",
  attachments: [{ filename: "p.bin", contentType: "application/octet-stream", data: payload }],
};

async function write(platform, smimeCipher, smimeKeyTransport = "rsa-pkcs1v15") {
  usePlatformCrypto(platform);
  const policy = { smimeCipher, smimeKeyTransport };
  const out = await protect(ring("alice", "bob"), draft, { sign: true, encrypt: true, method: "smime", encryptToSelf: false, policy, now });
  return out.deliveries[0].mime;
}

async function read1(platform, mime) {
  usePlatformCrypto(platform);
  return await open(ring("bob"), mime, { now });
}

/** One base64 character in the middle of the CMS body changed. */
function tampered(mime) {
  const text = Buffer.from(mime).toString("latin1");
  const body = text.indexOf("\r\n\r\n", text.indexOf("application/pkcs7-mime")) + 4;
  const at = Math.floor((body + text.length) / 2);
  const ch = text[at] === "A" ? "B" : "A";
  return Buffer.from(text.slice(0, at) + ch + text.slice(at + 1), "latin1");
}

describe("crypto provider", () => {
  after(() => usePlatformCrypto(true));

  test("node:crypto takes large inputs in Node", () => {
    assert.equal(cryptoProvider(), "node:crypto");
    usePlatformCrypto(false);
    assert.equal(cryptoProvider(), "rustcrypto");
    usePlatformCrypto(true);
  });

  for (const cipher of ["aes256-cbc", "aes128-cbc", "aes256-gcm", "aes128-gcm"]) {
    test(`S/MIME ${cipher}, signed: each path opens what the other wrote`, async () => {
      for (const [writer, reader] of [[true, false], [false, true], [true, true]]) {
        const o = await read1(reader, await write(writer, cipher));
        const how = `written ${writer ? "native" : "wasm"}, read ${reader ? "native" : "wasm"}`;
        assert.equal(o.encryption.state, "decrypted", how);
        assert.equal(o.encryption.algorithm, cipher, how);
        assert.equal(o.signature.state, "valid", how);
        assert.deepEqual(new Uint8Array(o.attachments[0].data), payload, how);
      }
    });

    test(`S/MIME ${cipher}, RSA-OAEP key transport: each path opens what the other wrote`, async () => {
      for (const [writer, reader] of [[true, false], [false, true], [true, true]]) {
        const o = await read1(reader, await write(writer, cipher, "rsa-oaep-sha256"));
        const how = `OAEP, written ${writer ? "native" : "wasm"}, read ${reader ? "native" : "wasm"}`;
        assert.equal(o.encryption.state, "decrypted", how);
        assert.equal(o.signature.state, "valid", how);
        assert.deepEqual(new Uint8Array(o.attachments[0].data), payload, how);
      }
    });

    test(`S/MIME ${cipher}: a tampered copy fails the same way on both paths`, async () => {
      const bad = tampered(await write(true, cipher));
      const native = await read1(true, bad);
      const wasm = await read1(false, bad);
      assert.notEqual(native.signature.state, "valid");
      assert.equal(native.encryption.state, wasm.encryption.state);
      assert.equal(native.signature.state, wasm.signature.state);
      assert.equal(native.encryption.detail, wasm.encryption.detail);
      assert.equal(native.text, wasm.text);
    });
  }
});

// RSA private-key operations (PKCS#1 v1.5 session keys of S/MIME and OpenPGP) run as raw RSA on
// node:crypto, with mailseal's own constant-time unpadding and implicit rejection on both paths.
describe("RSA decryption: node:crypto's raw RSA and the wasm path agree", () => {
  after(() => usePlatformCrypto(true));
  const pgpRing = () => {
    const r = new Keyring();
    r.import(read("openpgp/alice.sec.asc"), { trusted: true, now });
    return r;
  };
  const inline = (armored) =>
    Buffer.concat([Buffer.from("From: bob@example.org\r\nTo: alice@example.org\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\n"), Buffer.from(armored)]);
  const armor = (bytes) =>
    `-----BEGIN PGP MESSAGE-----\r\n\r\n${Buffer.from(bytes).toString("base64").match(/.{1,64}/g).join("\r\n")}\r\n-----END PGP MESSAGE-----\r\n`;
  const both = async (raw) => {
    const out = [];
    for (const platform of [true, false]) {
      usePlatformCrypto(platform);
      const o = await open(pgpRing(), raw, { now });
      out.push({ state: o.encryption.state, detail: o.encryption.detail, text: o.text, attachments: o.attachments.length });
    }
    return out;
  };

  test("gpg's message to an RSA-3072 key opens the same on both paths", async () => {
    const [native, wasm] = await both(inline(read("openpgp/enc-alice.asc")));
    assert.equal(native.state, "decrypted");
    assert.deepEqual(native, wasm);
  });

  test("a flipped bit in the RSA session key fails the same way on both paths", async () => {
    const [native, wasm] = await both(inline(armor(read("openpgp/tampered-rsa-pkesk.gpg"))));
    assert.notEqual(native.state, "decrypted");
    assert.deepEqual(native, wasm);
  });
});

// OpenPGP SEIPD v1 (AES-256-CFB + MDC): in Node the body is encrypted and decrypted on
// node:crypto's aes-256-cfb and SHA-1, and RSA signatures on node:crypto's privateEncrypt; in
// wasm on RustCrypto. gpg must decrypt and verify what either path wrote.
describe("OpenPGP: node:crypto's AES-CFB and the wasm path agree", () => {
  after(() => usePlatformCrypto(true));
  const pgpRing = (...files) => {
    const r = new Keyring();
    for (const f of files) r.import(read(`openpgp/${f}`), { trusted: true, now });
    return r;
  };
  const pgpDraft = { ...draft, from: "alice@example.org", to: ["bob@example.org"] };
  const write = async (platform) => {
    usePlatformCrypto(platform);
    const out = await protect(pgpRing("alice.sec.asc", "bob.pub.asc"), pgpDraft, { sign: true, encrypt: true, method: "pgp", encryptToSelf: false, now });
    return out.deliveries[0].mime;
  };
  const readWith = async (platform, mime) => {
    usePlatformCrypto(platform);
    return await open(pgpRing("bob.sec.asc", "alice.pub.asc"), mime, { now });
  };

  test("each path opens what the other wrote", async () => {
    for (const [writer, reader] of [[true, false], [false, true], [true, true]]) {
      const o = await readWith(reader, await write(writer));
      const how = `written ${writer ? "native" : "wasm"}, read ${reader ? "native" : "wasm"}`;
      assert.equal(o.encryption.state, "decrypted", how);
      assert.equal(o.encryption.algorithm, "aes256", how);
      assert.equal(o.signature.state, "valid", how);
      assert.deepEqual(new Uint8Array(o.attachments[0].data), payload, how);
    }
  });

  test("gpg decrypts and verifies what each path wrote", async (t) => {
    if (!have("gpg", t)) return;
    const home = mkdtempSync(join(tmpdir(), "mailseal-gpg-"));
    try {
      execFileSync("gpg", ["--homedir", home, "--batch", "--import"], { input: Buffer.concat([read("openpgp/bob.sec.asc"), read("openpgp/alice.pub.asc")]), stdio: ["pipe", "ignore", "ignore"] });
      const fpr = read("openpgp/alice.fpr").toString().trim();
      const firstLine = Buffer.from(payload.subarray(0, 57)).toString("base64");
      for (const platform of [true, false]) {
        const mime = await write(platform);
        const r = spawnSync("gpg", ["--homedir", home, "--batch", "--no-tty", "--status-fd", "2", "--trust-model", "always", "--decrypt"], { input: mime, maxBuffer: 1 << 26 });
        const status = r.stderr.toString();
        const how = platform ? "node:crypto" : "wasm";
        assert.equal(r.status, 0, `${how}: ${status}`);
        assert.match(status, /^\[GNUPG:\] DECRYPTION_OKAY/m, how);
        assert.match(status, new RegExp(`^\\[GNUPG:\\] VALIDSIG .* ${fpr}$`, "m"), `${how}: signed by alice`);
        assert.ok(r.stdout.toString().includes(firstLine), `${how}: the attachment is in the decrypted entity`);
      }
    } finally {
      spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
      rmSync(home, { recursive: true, force: true });
    }
  });

  test("gpg's 2 MiB message from a pipe (partial lengths) opens the same on both paths, in place", async (t) => {
    // node:crypto decrypts CFB in place 256 KiB at a time: the pieces' boundaries, the partial
    // lengths joined in place and the signature hashed where the content is, against wasm.
    if (!have("gpg", t)) return;
    const home = mkdtempSync(join(tmpdir(), "mailseal-gpg-"));
    try {
      execFileSync("gpg", ["--homedir", home, "--batch", "--import"], { input: Buffer.concat([read("openpgp/bob.pub.asc"), read("openpgp/alice.sec.asc")]), stdio: ["pipe", "ignore", "ignore"] });
      const big = new Uint8Array(2 << 20).map((_, i) => (i * 7919 + (i >> 12)) % 251);
      const b64 = Buffer.from(big).toString("base64").match(/.{1,76}/g).join("\r\n");
      const entity = `Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--m\r\nContent-Type: application/octet-stream; name="big.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--m--\r\n`;
      const gpg = ["--homedir", home, "--batch", "--no-tty", "--trust-model", "always", "--compress-algo", "none", "-a", "-s", "-e"];
      const fpr = (who) => read(`openpgp/${who}.fpr`).toString().trim();
      const armored = execFileSync("gpg", [...gpg, "-u", fpr("alice"), "-r", fpr("bob")], { input: entity, maxBuffer: 1 << 26 });
      const mime = Buffer.concat([
        Buffer.from('From: alice@example.org\r\nTo: bob@example.org\r\nSubject: big\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n'),
        armored,
        Buffer.from("\r\n--e--\r\n"),
      ]);
      for (const platform of [true, false]) {
        const o = await readWith(platform, mime);
        const how = platform ? "node:crypto" : "wasm";
        assert.equal(o.encryption.state, "decrypted", how);
        assert.equal(o.signature.state, "valid", how);
        assert.deepEqual(new Uint8Array(o.attachments[0].data), big, how);
      }
    } finally {
      spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
      rmSync(home, { recursive: true, force: true });
    }
  });

  test("a tampered copy fails the same way on both paths (the MDC)", async () => {
    const mime = await write(true);
    const text = Buffer.from(mime).toString("latin1");
    const body = text.indexOf("-----BEGIN PGP MESSAGE-----");
    let at = Math.floor((body + text.length) / 2);
    while (!/[A-Za-z0-9+/]/.test(text[at])) at++;
    const bad = Buffer.from(text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1), "latin1");
    const [native, wasm] = [await readWith(true, bad), await readWith(false, bad)];
    assert.equal(native.encryption.state, "failed");
    assert.equal(native.encryption.state, wasm.encryption.state);
    assert.equal(native.encryption.detail, wasm.encryption.detail);
    assert.equal(native.signature.state, wasm.signature.state);
    assert.equal(native.attachments.length, 0);
    assert.equal(wasm.attachments.length, 0);
  });
});

// RSA public-key operations (session key encryption, signature checks) on node:crypto's
// publicEncrypt / publicDecrypt; a signature the platform does not confirm is decided in wasm.
// ECDSA P-256 signing on node:crypto's sign.
describe("RSA public-key operations: node:crypto and wasm agree, openssl reads node:crypto's", () => {
  after(() => usePlatformCrypto(true));

  test("openssl decrypts and verifies what node:crypto wrote (PKCS#1 v1.5 and OAEP)", async (t) => {
    if (!have("openssl", t)) return;
    const dir = mkdtempSync(join(tmpdir(), "mailseal-openssl-"));
    try {
      for (const kt of ["rsa-pkcs1v15", "rsa-oaep-sha256"]) {
        const mime = await write(true, "aes256-cbc", kt);
        const input = join(dir, "in.eml");
        writeFileSync(input, mime);
        const smime = (args) => spawnSync("openssl", ["cms", ...args], { maxBuffer: 1 << 26 });
        const dec = smime(["-decrypt", "-in", input, "-recip", join(DATA, "smime/bob.crt"), "-inkey", join(DATA, "smime/bob.key"), "-out", join(dir, "signed.eml")]);
        assert.equal(dec.status, 0, `${kt}: ${dec.stderr}`);
        const ver = smime(["-verify", "-in", join(dir, "signed.eml"), "-CAfile", join(DATA, "smime/root-ca.crt"), "-certfile", join(DATA, "smime/int-ca.crt"), "-purpose", "any", "-out", join(dir, "content.eml")]);
        assert.equal(ver.status, 0, `${kt}: ${ver.stderr}`);
        assert.ok(readFileSync(join(dir, "content.eml")).includes(Buffer.from(payload.subarray(0, 57)).toString("base64")), `${kt}: the attachment`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("P-256: openssl verifies node:crypto's ECDSA and decrypts its ECDH; both paths read both", async (t) => {
    if (!have("openssl", t)) return;
    const dir = mkdtempSync(join(tmpdir(), "mailseal-ecdsa-"));
    try {
      const signed = {};
      for (const platform of [true, false]) {
        usePlatformCrypto(platform);
        const out = await protect(ring("dave"), { from: "dave@example.com", to: ["dave@example.com"], subject: "s", text: "signed with P-256\n" }, { sign: true, encrypt: false, method: "smime", now });
        signed[platform] = out.deliveries[0].mime;
      }
      const input = join(dir, "in.eml");
      writeFileSync(input, signed[true]);
      const ver = spawnSync("openssl", ["cms", "-verify", "-in", input, "-CAfile", join(DATA, "smime/root-ca.crt"), "-certfile", join(DATA, "smime/int-ca.crt"), "-purpose", "any", "-out", join(dir, "content.eml")]);
      assert.equal(ver.status, 0, String(ver.stderr));
      // ECDH to P-256 on node:crypto: openssl decrypts it, and both paths do.
      usePlatformCrypto(true);
      const sealed = (await protect(ring("dave"), { from: "dave@example.com", to: ["dave@example.com"], subject: "s", text: "sealed to P-256\n" }, { sign: false, encrypt: true, method: "smime", now })).deliveries[0].mime;
      writeFileSync(input, sealed);
      const dec = spawnSync("openssl", ["cms", "-decrypt", "-in", input, "-recip", join(DATA, "smime/dave.crt"), "-inkey", join(DATA, "smime/dave.key")]);
      assert.equal(dec.status, 0, String(dec.stderr));
      assert.ok(String(dec.stdout).includes("sealed to P-256"));
      for (const reader of [true, false]) {
        usePlatformCrypto(reader);
        assert.equal((await open(ring("dave"), sealed, { now })).text, "sealed to P-256\n", `ECDH, read ${reader}`);
      }
      for (const [writer, mime] of Object.entries(signed)) {
        for (const reader of [true, false]) {
          usePlatformCrypto(reader);
          const o = await open(ring(), mime, { now });
          assert.equal(o.signature.state, "valid", `written ${writer}, read ${reader}`);
          const bad = Buffer.from(Buffer.from(mime).toString("latin1").replace("with P-256", "with P-384"), "latin1");
          assert.equal((await open(ring(), bad, { now })).signature.state, "invalid", `tampered, read ${reader}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const method of ["smime", "pgp"]) {
    test(`${method}: a changed signed body is invalid on both paths, a good one valid`, async () => {
      const pgp = method === "pgp";
      const signer = new Keyring();
      if (pgp) signer.import(read("openpgp/alice.sec.asc"), { trusted: true, now });
      else for (const f of ["smime/root-ca.crt", "smime/int-ca.crt"]) signer.import(read(f), { trusted: f.includes("root"), now });
      if (!pgp) signer.import(Buffer.concat([read("smime/alice.crt"), read("smime/alice.key")]), { now });
      const from = pgp ? "alice@example.org" : "alice@example.com";
      const out = await protect(signer, { from, to: [from], subject: "s", text: "Pay 100 EUR to the usual account.\n".repeat(200) }, { sign: true, encrypt: false, method, now });
      const good = Buffer.from(out.deliveries[0].mime);
      const bad = Buffer.from(good.toString("latin1").replace("Pay 100", "Pay 900"), "latin1");
      for (const [mime, want] of [[good, "valid"], [bad, "invalid"]]) {
        const verdicts = [];
        for (const platform of [true, false]) {
          usePlatformCrypto(platform);
          const o = await open(signer, mime, { now });
          verdicts.push({ state: o.signature.state, detail: o.signature.detail });
        }
        assert.equal(verdicts[0].state, want);
        assert.deepEqual(verdicts[0], verdicts[1]);
      }
      signer.free();
    });
  }
});
