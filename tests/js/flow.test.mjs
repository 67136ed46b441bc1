// protect / open / capabilities through the built package, as a help desk calls them, with
// keys made by gpg (tests/data/openpgp). A delivery's MIME must also open in gpg: that is
// tests/interop_openpgp.rs; here the JS contract is checked.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring, open, protect } from "mailseal";
import { rejectsCode, throwsCode, trustedPgpRing } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");

// Every key as verified by the admin (trusted): only such OpenPGP keys make a signature valid.
const ringWith = (...files) => trustedPgpRing(now, ...files);

const draft = {
  from: "Alice <alice@example.org>",
  to: ["bob@example.org"],
  subject: "Ticket #12: Grüße",
  text: "Your ticket is solved.\n",
  attachments: [{ filename: "log.txt", contentType: "text/plain", data: new TextEncoder().encode("log line\n") }],
  messageId: "12@desk.example.org",
};

describe("protect → open (OpenPGP)", () => {
  test("sign + encrypt a draft, open it as the recipient", async () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    const out = await protect(desk, draft, { sign: true, encrypt: true, now });
    assert.equal(out.deliveries.length, 1);
    const [d] = out.deliveries;
    assert.deepEqual(d.to, ["bob@example.org"]);
    assert.equal(d.method, "pgp");
    assert.ok(d.signed && d.encrypted && !d.problemReport);
    assert.ok(d.mime instanceof Uint8Array);
    const raw = Buffer.from(d.mime).toString("latin1");
    assert.match(raw, /multipart\/encrypted/);
    assert.match(raw, /^Subject: \[\.\.\.\]\r$/m, "subject protected");
    assert.ok(!raw.includes("solved"), "no plaintext outside");

    const bob = ringWith("bob.sec.asc", "alice.pub.asc");
    const opened = await open(bob, d.mime, { now });
    assert.equal(opened.encryption.state, "decrypted");
    assert.equal(opened.encryption.method, "pgp");
    assert.equal(opened.signature.state, "valid");
    assert.equal(opened.signature.scope, "whole");
    assert.deepEqual(opened.signature.signer.emails, ["alice@example.org"]);
    assert.equal(opened.headers.subject, "Ticket #12: Grüße");
    assert.equal(opened.headers.protected, true);
    assert.match(opened.text, /Your ticket is solved\./);
    assert.match(opened.quoteForReply, /Your ticket is solved\./);
    const att = opened.attachments.find((a) => a.filename === "log.txt");
    assert.ok(att && att.data instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(att.data), "log line\n");

    const log = bob.recentLog().at(-1);
    assert.equal(log.action, "open");
    assert.equal(log.method, "pgp");
    assert.ok(!JSON.stringify(bob.recentLog()).includes("Ticket #12"), "no subject in the log");
  });

  test("async: calls run at once on the keyring as it was called; their log events follow", async () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    const { deliveries } = await protect(desk, draft, { sign: true, encrypt: true, now });
    const bob = ringWith("bob.sec.asc", "alice.pub.asc");
    const before = bob.recentLog().length;
    const pending = [1, 2, 3].map(() => open(bob, deliveries[0].mime, { now }));
    assert.ok(pending.every((p) => p instanceof Promise));
    // Removing Bob's key while the calls are pending changes the keyring, not their snapshot.
    const [secret] = bob.list({ now }).filter((k) => k.hasSecret);
    assert.equal(bob.remove(secret.id), true);
    const opened = await Promise.all(pending);
    for (const o of opened) {
      assert.equal(o.encryption.state, "decrypted");
      assert.equal(o.signature.state, "valid");
    }
    const log = bob.recentLog();
    assert.deepEqual(log.slice(before).map((e) => e.action), ["remove", "open", "open", "open"]);
    // A call after the removal sees the keyring without the key.
    assert.equal((await open(bob, deliveries[0].mime, { now })).encryption.state, "no_key");
  });

  test("a raw message string is protected too", async () => {
    const desk = ringWith("alice.sec.asc");
    const raw = "From: alice@example.org\nTo: someone@example.net\nSubject: Hi\n\nPlain text\n";
    const out = await protect(desk, raw, { sign: true, encrypt: false, now });
    const opened = await open(ringWith("alice.pub.asc"), out.deliveries[0].mime, { now });
    assert.equal(opened.signature.state, "valid");
    assert.equal(opened.encryption.state, "none");
  });

  test("a tampered signed message is never valid", async () => {
    const out = await protect(ringWith("alice.sec.asc"), draft, { sign: true, encrypt: false, now });
    const text = Buffer.from(out.deliveries[0].mime).toString("latin1").replace("solved", "SOLVED");
    const opened = await open(ringWith("alice.pub.asc"), text, { now });
    assert.equal(opened.signature.state, "invalid");
  });

  test("From ≠ signer is sender_mismatch", async () => {
    const out = await protect(ringWith("alice.sec.asc"), draft, { sign: true, encrypt: false, now });
    const text = Buffer.from(out.deliveries[0].mime)
      .toString("latin1")
      .replace(/^From: .*$/m, "From: mallory@example.org");
    const opened = await open(ringWith("alice.pub.asc"), text, { now });
    assert.equal(opened.signature.state, "sender_mismatch");
  });
});

describe("errors and capabilities", () => {
  test("block fallback names the recipient without a key", async () => {
    const desk = ringWith("alice.sec.asc");
    const e = await rejectsCode(() => protect(desk, draft, { sign: false, encrypt: true, now }), "recipient_key_missing");
    assert.match(e.message, /bob@example\.org/);
  });

  test("signing without a key is sender_key_missing", async () => {
    await rejectsCode(() => protect(new Keyring(), draft, { sign: true, encrypt: false, now }), "sender_key_missing");
  });

  test("bad arguments are bad_input", async () => {
    const ring = new Keyring();
    await rejectsCode(() => protect(ring, draft, { encrypt: true }), "bad_input");
    await rejectsCode(() => protect(ring, 42, { sign: false, encrypt: false }), "bad_input");
    await rejectsCode(() => open(ring, 42), "bad_input");
    await rejectsCode(() => protect(ring, draft, { sign: true, encrypt: false, policy: { fallback: "maybe" } }), "bad_input");
    // A policy may only be stricter than the safe floor for signatures.
    await rejectsCode(() => protect(ring, draft, { sign: true, encrypt: false, policy: { minRsaBits: 1024 } }), "bad_input");
    await rejectsCode(() => protect(ring, draft, { sign: true, encrypt: false, policy: { weakHashes: ["md5"] } }), "bad_input");
  });

  test("capabilities name the addresses", () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    const caps = desk.capabilities({ from: "alice@example.org", to: ["bob@example.org", "zed@example.org"] }, { now });
    assert.equal(caps.canSign, true);
    assert.equal(caps.canEncrypt, false);
    const pgp = caps.methods.find((m) => m.method === "pgp");
    assert.deepEqual(pgp.missing, ["zed@example.org"]);
    assert.deepEqual(pgp.encryptDetails, ["The PGP key for zed@example.org was not found."]);
    const none = desk.capabilities({ from: "alice@example.org", to: [] }, { now });
    assert.deepEqual(none.details, ["There was no recipient found."]);
  });
});

describe("preview: what Send would do, and the group's defaults as the floor", () => {
  const policy = { fallback: "send_plain", groups: { Security: { sign: true, encrypt: true } } };
  const addresses = { from: "alice@example.org", to: ["bob@example.org", "zed@example.org"] };

  test("a plain copy to a recipient without a key is a shortfall the agent confirms", async () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    const opts = { sign: true, encrypt: true, policy, group: "Security", now };
    const p = desk.preview(addresses, opts);
    assert.equal(p.outcome, "confirm");
    assert.deepEqual(p.shortfall, ["zed@example.org would get it unencrypted, although group Security encrypts by default."]);
    assert.deepEqual(
      p.deliveries.map((d) => [d.to.join(), d.method, d.encrypted, d.signed]).sort(),
      [["bob@example.org", "pgp", true, true], ["zed@example.org", "pgp", false, true]],
    );
    assert.equal(p.encrypt.possible, true);
    assert.match(p.encrypt.reason, /zed@example\.org: they get the message unencrypted/);
    await rejectsCode(() => protect(desk, { ...draft, to: addresses.to }, opts), "downgrade_not_confirmed");
    const sent = await protect(desk, { ...draft, to: addresses.to }, { ...opts, confirmDowngrade: true });
    assert.equal(sent.deliveries.length, 2);
  });

  test("blocked says why, with the code protect would throw", () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    const p = desk.preview(addresses, { sign: true, encrypt: false, policy: { ...policy, fallback: "block" }, group: "Security", now });
    assert.equal(p.outcome, "blocked");
    assert.equal(p.blocked.code, "recipient_key_missing");
    assert.match(p.blocked.detail, /zed@example\.org/);
    assert.deepEqual(p.deliveries, []);
  });

  test("bad arguments are bad_input", () => {
    const desk = ringWith("alice.sec.asc");
    throwsCode(() => desk.preview(addresses, undefined), "bad_input");
    throwsCode(() => desk.preview(addresses, { sign: true }), "bad_input");
    throwsCode(() => desk.preview("alice@example.org", { sign: true, encrypt: true }), "bad_input");
    const unknown = desk.preview(addresses, { sign: true, encrypt: true, policy, group: "Nope", now });
    assert.equal(unknown.blocked.code, "bad_input");
  });
});

describe("the policy stored in the keyring", () => {
  const policy = { methodPriority: ["pgp"], fallback: "problem_report", groups: { Security: { sign: true, encrypt: true, protectHeaders: false } } };
  const to = ["bob@example.org", "zed@example.org"];

  test("setPolicy keeps it sealed with the keyring; calls without a policy follow it", async () => {
    const desk = ringWith("alice.sec.asc", "bob.pub.asc");
    assert.equal(desk.policy(), undefined);
    // Without a stored policy: the default fallback blocks zed, who has no key.
    await rejectsCode(() => protect(desk, { ...draft, to }, { sign: true, encrypt: true, now }), "recipient_key_missing");
    desk.setPolicy(policy);
    const sealed = desk.seal("pass phrase");
    const again = Keyring.unseal(sealed, "pass phrase");
    const { methodPriority, fallback, groups, smimeCipher } = again.policy();
    assert.deepEqual({ methodPriority, fallback, groups }, policy);
    assert.equal(smimeCipher, "aes256-cbc", "the algorithms' defaults filled in");
    // The stored fallback: zed gets a problem report; the group's header choice applies.
    const out = await protect(again, { ...draft, to }, { sign: true, encrypt: true, group: "Security", now });
    const reports = out.deliveries.filter((d) => d.problemReport).map((d) => d.to.join());
    assert.deepEqual(reports, ["zed@example.org"]);
    const enc = out.deliveries.find((d) => d.encrypted);
    assert.match(Buffer.from(enc.mime).toString("latin1"), /\r\nSubject: =\?utf-8\?Q\?Ticket_#12/);
    assert.equal(again.preview({ from: "alice@example.org", to }, { sign: true, encrypt: true, group: "Security", now }).outcome, "ready");
    // An explicit policy still wins.
    await rejectsCode(() => protect(again, { ...draft, to }, { sign: true, encrypt: true, policy: { fallback: "block" }, now }), "recipient_key_missing");
    assert.ok(again.recentLog().some((e) => e.action === "set_policy" && e.outcome === "ok"));
  });

  test("only the admin sets it; a bad policy is bad_input", () => {
    const desk = ringWith("alice.sec.asc");
    desk.setAdminPassphrase("admin pass");
    throwsCode(() => desk.setPolicy({ fallback: "maybe" }), "bad_input");
    throwsCode(() => desk.setPolicy(42), "bad_input");
    const agent = Keyring.unseal(desk.seal("pass phrase"), "pass phrase");
    throwsCode(() => agent.setPolicy(policy), "admin_required");
    assert.equal(agent.policy(), undefined);
    agent.unlockAdmin("admin pass");
    agent.setPolicy(policy);
    assert.equal(agent.policy().fallback, "problem_report");
  });
});

describe("readiness check", () => {
  test("says who can sign and decrypt, and what is missing", () => {
    const ring = ringWith("alice.sec.asc", "bob.pub.asc");
    const r = ring.check({ addresses: ["alice@example.org", "bob@example.org"] }, { now });
    const pgp = (i) => r.addresses[i].methods.find((m) => m.method === "pgp");
    assert.equal(pgp(0).canSign, true);
    assert.equal(pgp(0).canDecrypt, true);
    assert.equal(pgp(1).canDecrypt, false);
    assert.equal(typeof pgp(1).decryptDetail, "string");
    assert.ok(r.details.some((d) => d.includes("trust anchor")));
    throwsCode(() => ring.check("alice@example.org"), "bad_input");
  });
});
