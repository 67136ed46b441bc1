// Impostor OpenPGP keys through the built package (issue 13): a key that names
// alice@example.org but was not verified by the admin never makes mail valid, never receives
// the desk's mail to Alice when her verified key is there, and shows as a conflict.
// Fixtures: tests/data/impostor (gpg-made, NOTES.md there) and tests/data/openpgp/alice.*.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Keyring, open, protect } from "mailseal";
import { DATA, rejectsCode, throwsCode } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));
const fpr = (p) => read(p).toString().trim();
const ALICE = fpr("openpgp/alice.fpr");
const IMPOSTOR = fpr("impostor/impostor-alice.fpr");

function desk() {
  const ring = new Keyring();
  ring.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
  ring.import(read("openpgp/alice.pub.asc"), { now, trusted: true });
  ring.import(read("impostor/impostor-alice.pub.asc"), { now });
  return ring;
}

describe("impostor OpenPGP keys", () => {
  test("mail clearsigned by the impostor as Alice is untrusted, naming the impostor key", async () => {
    const o = await open(desk(), read("impostor/clearsigned-as-alice.eml"), { now });
    assert.equal(o.signature.state, "untrusted");
    assert.equal(o.signature.signer.keyId, IMPOSTOR);
    assert.match(o.signature.detail, /not been verified/);
  });

  test("replies to Alice are encrypted to her verified key only", async () => {
    const draft = { from: "bob@example.org", to: ["alice@example.org"], subject: "Re: ticket", text: "Hi\n" };
    const out = await protect(desk(), draft, { sign: false, encrypt: true, method: "pgp", encryptToSelf: false, now });
    const mime = out.deliveries[0].mime;
    const alice = new Keyring();
    alice.import(read("openpgp/alice.sec.asc"), { now });
    assert.equal((await open(alice, mime, { now })).encryption.state, "decrypted");
    const impostor = new Keyring();
    impostor.import(read("impostor/impostor-alice.sec.asc"), { now });
    assert.equal((await open(impostor, mime, { now })).encryption.state, "no_key");
  });

  test("the conflict shows in conflicts(), KeyInfo, capabilities and check", () => {
    const ring = desk();
    const conflicts = ring.conflicts({ now });
    assert.deepEqual(conflicts, [{ address: "alice@example.org", kind: "pgp", keys: [ALICE, IMPOSTOR], verified: [ALICE] }]);
    assert.deepEqual(ring.get(IMPOSTOR, { now }).conflicts, [ALICE]);
    const caps = ring.capabilities({ from: "bob@example.org", to: ["alice@example.org"] }, { now });
    const pgp = caps.methods.find((m) => m.method === "pgp");
    assert.ok(pgp.keyNotes.some((n) => n.includes(IMPOSTOR)), pgp.keyNotes.join(" | "));
    const r = ring.check({ addresses: ["bob@example.org"] }, { now });
    assert.deepEqual(r.conflicts, conflicts);
  });

  test("two unverified keys for one address: no guess, recipient_key_missing", async () => {
    const ring = new Keyring();
    ring.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
    ring.import(read("openpgp/alice.pub.asc"), { now });
    ring.import(read("impostor/impostor-alice.pub.asc"), { now });
    const draft = { from: "bob@example.org", to: ["alice@example.org"], subject: "Re", text: "Hi\n" };
    await rejectsCode(() => protect(ring, draft, { sign: false, encrypt: true, method: "pgp", now }), "recipient_key_missing");
  });
});
