// Key lookups through the package (issue 14): the URLs to fetch for a recipient without a key,
// and what the answer offers; found keys are imported unverified, remembering where, when and
// for which address, and never displace a key the admin verified.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Keyring, open, protect } from "mailseal";
import { DATA, throwsCode } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));

describe("key lookups", () => {
  test("lookupRequests: WKD advanced and direct, then the keyservers given, in order", () => {
    const r = new Keyring().lookupRequests("Joe.Doe@Example.ORG", {
      keyservers: [
        { kind: "vks", url: "https://keys.openpgp.org" },
        { kind: "hkp", url: "https://keyserver.ubuntu.com/" },
      ],
    });
    assert.deepEqual(
      r.map((q) => [q.source, q.url]),
      [
        ["wkd_advanced", "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe"],
        ["wkd_direct", "https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe"],
        ["vks", "https://keys.openpgp.org/vks/v1/by-email/joe.doe%40example.org"],
        ["hkp", "https://keyserver.ubuntu.com/pks/lookup?op=get&options=mr&search=joe.doe%40example.org"],
      ],
    );
    throwsCode(() => new Keyring().lookupRequests("not an address"), "bad_input");
    throwsCode(() => new Keyring().lookupRequests("a@example.org", { keyservers: [{ kind: "hkp", url: "http://plain.example" }] }), "bad_input");
  });

  test("a found key: offered, imported unverified with its origin, then used for encryption", async () => {
    const desk = new Keyring();
    desk.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
    const answer = read("openpgp/alice.pub.asc");
    const raw = "From: bob@example.org\r\nTo: Alice <alice@example.org>, bob@example.org\r\nBcc: zed@example.net\r\nSubject: s\r\n\r\nhi\r\n";
    assert.deepEqual(desk.recipientsWithoutKey(raw, { now }), ["alice@example.org", "zed@example.net"]);
    const [offer] = desk.lookupCandidates("alice@example.org", answer, { now });
    assert.equal(offer.kind, "pgp");
    assert.equal(offer.trust, "unverified");
    assert.equal(desk.list({ now }).length, 1, "nothing imported by looking");
    throwsCode(() => desk.lookupCandidates("carol@example.org", answer, { now }), "key_not_found");
    throwsCode(() => desk.lookupCandidates("alice@example.org", read("openpgp/alice.sec.asc"), { now }), "bad_input");
    throwsCode(() => desk.importFound("alice@example.org", "ftp", answer, { now }), "bad_input");

    const [found] = desk.importFound("alice@example.org", "wkd_direct", answer, { fingerprint: offer.id, now });
    assert.equal(found.trusted, false);
    assert.deepEqual(found.origin, { source: "wkd_direct", foundAt: "2026-12-01T00:00:00Z", address: "alice@example.org" });
    assert.deepEqual(desk.recipientsWithoutKey(raw, { now }), ["zed@example.net"]);
    assert.deepEqual(desk.recipientsWithoutKey(raw, { now, policy: { methodPriority: ["smime"] } }), ["alice@example.org", "bob@example.org", "zed@example.net"]);
    const draft = { from: "bob@example.org", to: ["alice@example.org"], subject: "found", text: "hi" };
    const out = await protect(desk, draft, { sign: true, encrypt: true, method: "pgp", now });
    assert.equal(out.deliveries[0].encrypted, true);
    assert.ok(desk.recentLog().some((e) => e.action === "import_wkd_direct" && e.keyIds.includes(found.id)));
    const again = Keyring.unseal(desk.seal("pass phrase"), "pass phrase");
    assert.equal(again.get(found.id, { now }).origin.source, "wkd_direct");
  });
});

describe("Autocrypt", () => {
  test("open reports the sender's offer; learnAutocrypt takes it unverified, dated by the message", async () => {
    const desk = new Keyring();
    desk.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
    const armored = read("openpgp/alice.pub.asc").toString("latin1");
    const body = armored.split(/\r?\n\r?\n/)[1].split(/\r?\n/).filter((l) => l && !l.startsWith("=") && !l.startsWith("-----")).join("");
    const keydata = Buffer.from(body, "base64").toString("base64").replace(/.{76}/g, "$&\r\n ");
    const raw =
      "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nSubject: hi\r\n" +
      `Autocrypt: addr=alice@example.org; keydata=\r\n ${keydata}\r\n\r\nhello\r\n`;
    const opened = await open(desk, raw, { now });
    assert.equal(opened.autocrypt.address, "alice@example.org");
    assert.equal(opened.autocrypt.preferEncrypt, false);
    assert.ok(opened.autocrypt.keydata instanceof Uint8Array);
    const [learned] = desk.learnAutocrypt(opened.autocrypt, { now });
    assert.deepEqual(learned.origin, { source: "autocrypt", foundAt: "2026-11-30T10:00:00Z", address: "alice@example.org" });
    assert.deepEqual(desk.learnAutocrypt(opened.autocrypt, { now }), [], "the same message again: nothing newer to learn");
    throwsCode(() => desk.learnAutocrypt({ address: "alice@example.org" }), "bad_input");
  });

  test("a key learned for the sender's own address does not get the sent copy (a forged From with a header)", async () => {
    // The desk sends as alice@example.org without an OpenPGP key of its own; mail forged
    // "From: alice@" brought a key for that address (here Alice's public key: anyone's).
    const desk = new Keyring();
    desk.import(read("openpgp/bob.pub.asc"), { now, trusted: true });
    const armored = read("openpgp/alice.pub.asc").toString("latin1");
    const body = armored.split(/\r?\n\r?\n/)[1].split(/\r?\n/).filter((l) => l && !l.startsWith("=") && !l.startsWith("-----")).join("");
    const keydata = Buffer.from(body, "base64").toString("base64").replace(/.{76}/g, "$&\r\n ");
    const raw =
      "From: Desk <alice@example.org>\r\nTo: alice@example.org\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nSubject: hi\r\n" +
      `Autocrypt: addr=alice@example.org; keydata=\r\n ${keydata}\r\n\r\nhello\r\n`;
    const opened = await open(desk, raw, { now });
    assert.equal(desk.learnAutocrypt(opened.autocrypt, { now }).length, 1);
    const draft = { from: "alice@example.org", to: ["bob@example.org"], subject: "terms", text: "secret terms" };
    const out = await protect(desk, draft, { sign: false, encrypt: true, method: "pgp", encryptToSelf: true, now });
    assert.equal(out.deliveries[0].encrypted, true);
    const warning = out.warnings.find((w) => w.code === "sent_copy_unreadable");
    assert.ok(warning, JSON.stringify(out.warnings));
    assert.match(warning.message, /not the sender's own/);
    // The copy is Bob's alone: Alice's key cannot open it.
    const alice = new Keyring();
    alice.import(read("openpgp/alice.sec.asc"), { now });
    const theirs = await open(alice, out.deliveries[0].mime, { now });
    assert.equal(theirs.encryption.state, "no_key");
  });
});

describe("refresh", () => {
  test("refreshRequests names what to ask; refreshKey merges a revocation into the held key", () => {
    const ring = new Keyring();
    const [before] = ring.import(read("pgp-unit/revoked-pub-before.asc"), { now, trusted: true });
    const requests = ring.refreshRequests({ keyservers: [{ kind: "hkp", url: "https://keyserver.ubuntu.com" }], now });
    assert.equal(requests.at(-1).url, `https://keyserver.ubuntu.com/pks/lookup?op=get&options=mr&search=0x${before.id}`);
    assert.ok(requests.every((r) => r.id === before.id));
    throwsCode(() => ring.refreshKey(before.id, read("openpgp/alice.pub.asc"), { now }), "key_not_found");
    const after = ring.refreshKey(before.id, read("pgp-unit/revoked-pub.asc"), { now });
    assert.equal(after.status, "revoked");
    assert.equal(after.trusted, true);
  });
});

describe("certificates learned from mail", () => {
  test("a validly signed S/MIME message offers its certificates; learnCertificates keeps the sender's", async () => {
    const ring = new Keyring();
    ring.import(read("smime/root-ca.crt"), { now, trusted: true });
    ring.import(read("smime/int-ca.crt"), { now });
    const raw = Buffer.concat([Buffer.from("From: alice@example.com\r\nTo: bob@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"), read("smime/signed-alice.eml")]);
    const opened = await open(ring, raw, { now });
    assert.equal(opened.signature.state, "valid");
    assert.ok(opened.certificates.length >= 1 && opened.certificates.every((c) => c instanceof Uint8Array));
    const [alice] = ring.learnCertificates(opened.headers.fromAddress, opened.certificates, { now });
    assert.deepEqual(alice.emails, ["alice@example.com"]);
    assert.equal(alice.origin.source, "mail");
    assert.equal(alice.trust, "chained");
    throwsCode(() => ring.learnCertificates("alice@example.com", "nope", { now }), "bad_input");
  });
});
