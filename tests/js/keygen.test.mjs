// Key generation through the package (issue 16): an OpenPGP key for the desk's address signs
// and opens mail at once; an S/MIME request signed by a throwaway openssl CA turns into a key
// that signs and decrypts; pending keys survive sealing; the key's revocation certificate
// revokes it. The interop with gpg and openssl is shown in tests/interop_keygen.rs; here, the
// JS surface and what a browser's wasm does with it (the clock and randomness it has).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Keyring, open, protect } from "mailseal";
import { have, throwsCode } from "./helpers.mjs";

const DESK = "support@example.org";
const mail = (from, to) => ({ from, to: [to], subject: "Ticket #12", text: "Resolved.\n" });

describe("key generation", () => {
  test("generateOpenPgp: a key for the address that signs and decrypts at once", async () => {
    const ring = new Keyring();
    const made = ring.generateOpenPgp({ address: DESK, name: "Example Support" });
    assert.deepEqual(made.key.emails, [DESK]);
    assert.equal(made.key.kind, "pgp");
    assert.ok(made.key.hasSecret && made.key.canSign && made.key.canEncrypt && made.key.trusted);
    assert.ok(made.key.expires, "three years by default");
    assert.match(made.publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.match(made.revocationCertificate, /This is a revocation certificate/);

    const out = await protect(ring, mail(DESK, DESK), { sign: true, encrypt: true, method: "pgp" });
    const opened = await open(ring, out.deliveries[0].mime);
    assert.equal(opened.encryption.state, "decrypted");
    assert.equal(opened.signature.state, "valid");
    assert.ok(ring.recentLog().some((e) => e.action === "generate" && e.addresses.includes(DESK)));

    // A reader with the published public key only: valid once the admin vouches for it.
    const reader = new Keyring();
    reader.import(made.publicKey, { trusted: true });
    const signed = await protect(ring, mail(DESK, "c@example.net"), { sign: true, encrypt: false, method: "pgp" });
    assert.equal((await open(reader, signed.deliveries[0].mime)).signature.state, "valid");
    // The revocation certificate revokes it there.
    const [revoked] = reader.import(made.revocationCertificate);
    assert.equal(revoked.status, "revoked");
    assert.equal((await open(reader, signed.deliveries[0].mime)).signature.state, "revoked");

    const v6 = ring.generateOpenPgp({ address: "v6@example.org", v6: true });
    assert.equal(v6.key.id.length, 64, "a version 6 fingerprint");
    const v6Mail = await protect(ring, mail("v6@example.org", "v6@example.org"), { sign: true, encrypt: true, method: "pgp" });
    assert.equal((await open(ring, v6Mail.deliveries[0].mime)).signature.state, "valid");

    const forever = ring.generateOpenPgp({ address: "billing@example.org", validDays: 0 });
    assert.equal(forever.key.expires, undefined);
    throwsCode(() => ring.generateOpenPgp({ address: "not an address" }), "bad_input");
    throwsCode(() => ring.generateOpenPgp({ address: DESK, algorithm: "dsa1024" }), "bad_input");
  });

  test("generateSmime: the request, pending through sealing, joined by the CA's certificate", async (t) => {
    if (!have("openssl", t)) return;
    const ring = new Keyring();
    const pending = ring.generateSmime({ address: DESK, name: "Example Support", algorithm: "p256" });
    assert.match(pending.request, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.equal(pending.address, DESK);
    assert.deepEqual(ring.pendingKeys().map((p) => p.id), [pending.id]);

    const again = Keyring.unseal(ring.seal("pass phrase"), "pass phrase");
    assert.deepEqual(again.pendingKeys().map((p) => p.id), [pending.id]);

    const dir = mkdtempSync(join(tmpdir(), "mailseal-keygen-"));
    try {
      const openssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      writeFileSync(join(dir, "req.pem"), pending.request);
      openssl("req", "-verify", "-noout", "-in", "req.pem");
      writeFileSync(
        join(dir, "ext.cnf"),
        `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=emailProtection\nsubjectAltName=email:${DESK}\n`,
      );
      openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=Keygen Test CA", "-days", "30", "-out", "ca.crt", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
      openssl("x509", "-req", "-in", "req.pem", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "7", "-days", "30", "-extfile", "ext.cnf", "-out", "desk.crt");
      again.import(readFileSync(join(dir, "ca.crt")), { trusted: true });
      const [key] = again.import(readFileSync(join(dir, "desk.crt")));
      assert.ok(key.hasSecret && key.canSign, JSON.stringify(key));
      assert.deepEqual(again.pendingKeys(), []);

      const out = await protect(again, mail(DESK, DESK), { sign: true, encrypt: true, method: "smime" });
      const opened = await open(again, out.deliveries[0].mime);
      assert.equal(opened.encryption.state, "decrypted");
      assert.equal(opened.signature.state, "valid");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
