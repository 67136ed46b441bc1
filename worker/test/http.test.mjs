// The HTTP API in workerd: outgoing notifications under each fallback (and what the worker
// wrote opens in openssl and gpg), /v1/open, health, public keys, auth refusals and limits.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DATA, REPO_DATA, TOKEN, dataFile, eventsOf, have, headersOf, repoFile, startWorker } from "./harness.mjs";

const MAX = 64 * 1024;
const auth = { authorization: `Bearer ${TOKEN}` };
const SECRET_TEXT = "Your ticket #9001 is solved";
const notification =
  "From: Support Desk <support@example.com>\r\n" +
  "To: alice@example.com, alice@example.org, nobody@example.net\r\n" +
  "Subject: Ticket #9001 resolved\r\n" +
  "Message-ID: <n-9001@desk.example.com>\r\n" +
  "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n" +
  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
  `${SECRET_TEXT}.\r\n`;

let w;
before(async () => {
  // The relay may send to Alice's domains and to nobody@example.net, nowhere else.
  w = await startWorker({ vars: { MAX_BODY_BYTES: String(MAX), RELAY_RECIPIENTS: "@example.com, @Example.org, nobody@example.net" } });
});
after(() => w?.dispose());

const post = (path, body, headers = auth) => w.fetch(path, { method: "POST", body, headers });
const byTo = (deliveries) => Object.fromEntries(deliveries.map((d) => [d.to.join(","), d]));
const events = (name) => eventsOf(w, name);

describe("POST /v1/protect: one notification, recipients with an S/MIME cert, a PGP key, none", () => {
  test("fallback block → 422 recipient_key_missing, nothing written", async () => {
    const res = await post("/v1/protect?fallback=block", notification);
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.equal(body.error, "recipient_key_missing");
    assert.match(body.message, /nobody@example\.net/);
  });

  let sendPlain;
  test("fallback send_plain → S/MIME, PGP, and a signed plain copy", async () => {
    const res = await post("/v1/protect?fallback=send_plain", notification);
    assert.equal(res.status, 200);
    sendPlain = await res.json();
    const d = byTo(sendPlain.deliveries);
    assert.deepEqual(Object.keys(d).sort(), ["alice@example.com", "alice@example.org", "nobody@example.net"]);
    assert.equal(d["alice@example.com"].method, "smime");
    assert.ok(d["alice@example.com"].signed && d["alice@example.com"].encrypted);
    assert.equal(d["alice@example.org"].method, "pgp");
    assert.ok(d["alice@example.org"].signed && d["alice@example.org"].encrypted);
    const plain = d["nobody@example.net"];
    assert.ok(plain.signed && !plain.encrypted && !plain.problemReport, "signed with the service key, not encrypted");
    assert.ok(Buffer.from(plain.mime, "base64").toString().includes(SECRET_TEXT), "plain copy carries the text");
    for (const k of ["alice@example.com", "alice@example.org"]) {
      assert.ok(!Buffer.from(d[k].mime, "base64").toString().includes(SECRET_TEXT), `${k}: no plaintext outside`);
    }
  });

  test("?group=confidential: less than the group's defaults needs confirm_downgrade; block still blocks", async () => {
    const res = await post("/v1/protect?group=confidential&fallback=send_plain", notification);
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.equal(body.error, "downgrade_not_confirmed");
    assert.match(body.message, /nobody@example\.net would get it unencrypted/);

    const confirmed = await post("/v1/protect?group=confidential&fallback=send_plain&confirm_downgrade=1", notification);
    assert.equal(confirmed.status, 200);
    const plain = byTo((await confirmed.json()).deliveries)["nobody@example.net"];
    assert.ok(plain && !plain.encrypted, "the confirmed plain copy");

    // Encrypt off is no way around "block" for a recipient without a key.
    const off = await post("/v1/protect?group=confidential&fallback=block&encrypt=false&confirm_downgrade=1", notification);
    assert.equal(off.status, 422);
    assert.equal((await off.json()).error, "recipient_key_missing");
  });

  test("the configured fallback (problem_report in wrangler.toml) → a problem report without content", async () => {
    const res = await post("/v1/protect", notification);
    assert.equal(res.status, 200);
    const d = byTo((await res.json()).deliveries);
    const report = d["nobody@example.net"];
    assert.ok(report.problemReport && !report.encrypted);
    const text = Buffer.from(report.mime, "base64").toString();
    assert.ok(!text.includes(SECRET_TEXT), "the problem report carries no content");
    assert.match(headersOf(Buffer.from(report.mime, "base64")).to ?? "", /nobody@example\.net/);
    assert.ok(d["alice@example.com"].encrypted && d["alice@example.org"].encrypted);
  });

  test("openssl decrypts and verifies the S/MIME delivery", (t) => {
    if (!have("openssl", t)) return;
    const mime = Buffer.from(byTo(sendPlain.deliveries)["alice@example.com"].mime, "base64");
    const dir = mkdtempSync(join(tmpdir(), "mailseal-openssl-"));
    try {
      writeFileSync(join(dir, "in.eml"), mime);
      execFileSync("openssl", ["cms", "-decrypt", "-in", join(dir, "in.eml"), "-recip", join(REPO_DATA, "smime/alice.crt"), "-inkey", join(REPO_DATA, "smime/alice.key"), "-out", join(dir, "signed.eml")]);
      const out = execFileSync("openssl", ["cms", "-verify", "-in", join(dir, "signed.eml"), "-CAfile", join(DATA, "worker-ca.crt"), "-purpose", "smimesign"], { stdio: ["ignore", "pipe", "pipe"] }).toString();
      assert.ok(out.includes(SECRET_TEXT), "verified content");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("gpg decrypts the PGP delivery and verifies the support key's signature", (t) => {
    if (!have("gpg", t)) return;
    const mime = Buffer.from(byTo(sendPlain.deliveries)["alice@example.org"].mime, "base64");
    const home = mkdtempSync(join(tmpdir(), "mailseal-gpg-"));
    const gpg = (args, input) =>
      execFileSync("gpg", ["--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", ...args], { input, stdio: ["pipe", "pipe", "pipe"] });
    try {
      gpg(["--import"], Buffer.concat([repoFile("openpgp/alice.sec.asc"), dataFile("support.pub.asc")]));
      const r = spawnSync("gpg", ["--homedir", home, "--batch", "--no-tty", "--status-fd", "2", "--trust-model", "always", "--decrypt"], { input: mime });
      const status = r.stderr.toString();
      assert.equal(r.status, 0, status);
      assert.ok(r.stdout.toString().includes(SECRET_TEXT), "decrypted content");
      assert.match(status, /^\[GNUPG:\] DECRYPTION_OKAY/m);
      const fpr = dataFile("support.fpr").toString().trim();
      assert.match(status, new RegExp(`^\\[GNUPG:\\] VALIDSIG .* ${fpr}$`, "m"), "signed by the support key");
    } finally {
      try {
        execFileSync("gpgconf", ["--homedir", home, "--kill", "all"], { stdio: "ignore" });
      } catch {}
      rmSync(home, { recursive: true, force: true });
    }
  });

  test("Accept: multipart/mixed → one message/rfc822 part per delivery", async () => {
    const res = await w.fetch("/v1/protect?fallback=send_plain", { method: "POST", body: notification, headers: { ...auth, accept: "multipart/mixed" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^multipart\/mixed; boundary=/);
    const text = await res.text();
    assert.equal(text.match(/^Content-Type: message\/rfc822\r$/gm).length, 3);
    assert.match(text, /^X-Mailseal-Method: smime\r$/m);
    assert.match(text, /^X-Mailseal-Method: pgp\r$/m);
  });

  test("?relay=1 sends every delivery through the SEND_EMAIL binding", async () => {
    const before = w.sent().length;
    const res = await post("/v1/protect?relay=1", notification);
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body) + w.stdio.join(""));
    assert.deepEqual(body.relayed.sort(), ["alice@example.com", "alice@example.org", "nobody@example.net"]);
    const sent = w.sent().slice(before);
    assert.equal(sent.length, 3);
    for (const m of sent) assert.match(headersOf(m).from, /<support@example\.com>$/);
  });

  test("?relay=1 sends only from a service address and only to RELAY_RECIPIENTS", async () => {
    const before = w.sent().length;
    const cases = [
      // Not a service address: the worker must not send in anyone else's name.
      notification.replace("Support Desk <support@example.com>", "\"support@example.com\" <ceo@example.com>"),
      notification.replace("From: Support Desk <support@example.com>", "From: mallory@example.net"),
      // A recipient outside RELAY_RECIPIENTS (Bcc included): nothing is sent, not even to the others.
      notification.replace("nobody@example.net", "nobody@example.net, stranger@example.net"),
      notification.replace("Subject:", "Bcc: stranger@example.net\r\nSubject:"),
    ];
    for (const body of cases) {
      const res = await post("/v1/protect?relay=1&fallback=send_plain", body);
      const json = await res.json();
      assert.equal(res.status, 403, JSON.stringify(json));
      assert.equal(json.error, "relay_refused");
    }
    assert.equal(w.sent().length, before, "nothing was sent");
  });

  test("no plaintext in the worker's logs", () => {
    const all = w.stdio.join("") + w.logs.join("\n");
    assert.ok(!all.includes(SECRET_TEXT));
    assert.ok(events("protect").length >= 4);
  });
});

describe("POST /v1/open, GET /v1/health, GET /v1/keys/:address", () => {
  test("open: openssl-made S/MIME mail → decrypted, valid, as JSON", async () => {
    const raw = Buffer.concat([Buffer.from("From: alice@example.com\r\nTo: bob@example.com\r\nSubject: t\r\n"), repoFile("smime/signed-enc-bob.eml")]);
    const res = await post("/v1/open", raw);
    assert.equal(res.status, 200);
    const o = await res.json();
    assert.equal(o.encryption.state, "decrypted");
    assert.equal(o.signature.state, "valid");
    assert.deepEqual(o.signature.signer.emails, ["alice@example.com"]);
    assert.match(o.text, /Ticket #4711 is solved\./);
  });

  test("health without the token says only whether the worker is ready", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }]) {
      const res = await w.fetch("/v1/health", { headers });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ready: true });
    }
  });

  test("health with the token says which addresses can sign and decrypt", async () => {
    const res = await w.fetch("/v1/health", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    const h = await res.json();
    assert.equal(h.ready, true);
    const support = h.addresses.find((a) => a.address === "support@example.com");
    assert.deepEqual(support.methods.map((m) => [m.method, m.canSign, m.canDecrypt]), [["smime", true, true], ["pgp", true, true]]);
    assert.ok(Array.isArray(h.expiring));
    // bob@example.com's RSA-3072 certificate is flagged (Marvin, README); support's P-256 is not.
    assert.deepEqual(h.rsaDecryptionKeys.map((k) => k.emails.join()), ["bob@example.com"]);
    assert.ok(!JSON.stringify(h).includes("PRIVATE"));
    assert.equal(h.crypto, "webcrypto", "workerd's WebCrypto takes the bulk of large messages");
  });

  test("public keys for an address, no token; none → 404", async () => {
    const res = await w.fetch("/v1/keys/support%40example.com");
    assert.equal(res.status, 200);
    const { keys } = await res.json();
    const smime = keys.find((k) => k.kind === "smime");
    const pgp = keys.find((k) => k.kind === "pgp");
    assert.match(smime.publicKey, /^-----BEGIN CERTIFICATE-----/);
    assert.match(pgp.publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.equal(pgp.id, dataFile("support.fpr").toString().trim());
    for (const k of keys) assert.ok(!/PRIVATE/.test(k.publicKey));
    assert.equal((await w.fetch("/v1/keys/nobody%40example.net")).status, 404);
  });
});

describe("refusals: auth, size, malformed", () => {
  test("missing or wrong token → 401, nothing processed", async () => {
    const n = events("protect").length + events("open").length;
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      for (const path of ["/v1/protect", "/v1/open"]) {
        const res = await post(path, notification, headers);
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(res.headers.get("www-authenticate"), "Bearer");
        assert.equal((await res.json()).error, "unauthorized");
      }
    }
    // Even an oversized body is refused for the token first.
    assert.equal((await post("/v1/protect", "x".repeat(MAX + 1), {})).status, 401);
    assert.equal(events("protect").length + events("open").length, n, "no protect/open ran");
  });

  test("oversized body → 413 before parsing (declared length and streamed)", async () => {
    const n = events("protect").length;
    const big = "x".repeat(MAX + 1);
    const res = await post("/v1/protect", big);
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error, "too_large");
    // No Content-Length: the limit holds while reading.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode("y".repeat(MAX / 4)));
        c.close();
      },
    });
    const res2 = await w.fetch("/v1/open", { method: "POST", body: stream, headers: auth, duplex: "half" });
    assert.equal(res2.status, 413);
    assert.equal(events("protect").length, n);
  });

  test("inbound mail over MAX_BODY_BYTES is rejected unread", async () => {
    const n = w.forwarded().length + w.sent().length;
    const mail = `From: a@example.net\r\nTo: support@example.com\r\nSubject: big\r\nMessage-ID: <big@example.net>\r\n\r\n${"z".repeat(MAX + 10)}\r\n`;
    await w.email("a@example.net", "support@example.com", mail);
    for (let i = 0; i < 50 && !w.logs.some((l) => l.includes("rejected message")); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(w.logs.some((l) => /rejected message with the following reason: "The message is too large\."/.test(l)));
    assert.equal(w.forwarded().length + w.sent().length, n);
  });

  test("malformed messages → 400 with the error code", async () => {
    for (const [path, body, code] of [
      ["/v1/protect", "this is not a message", "bad_input"],
      ["/v1/protect", "\r\n\r\nonly a body", "bad_input"],
      ["/v1/open", "", "bad_input"],
      ["/v1/protect?fallback=maybe", notification, "bad_input"],
    ]) {
      const res = await post(path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal((await res.json()).error, code, `${path} ${JSON.stringify(body)}`);
    }
  });

  test("unknown routes and methods", async () => {
    assert.equal((await w.fetch("/v1/protect", { headers: auth })).status, 405);
    assert.equal((await w.fetch("/v1/nothing", { headers: auth })).status, 404);
    assert.equal((await w.fetch("/")).status, 404);
  });

  test("timings measured in workerd", (t) => {
    const unseal = events("keyring_unsealed");
    assert.equal(unseal.length, 1, "unsealed once per isolate, then cached");
    const p = events("protect").map((e) => e.ms);
    const o = events("open").map((e) => e.ms);
    t.diagnostic(`unseal ${unseal[0].ms} ms; protect ${p.join("/")} ms; open ${o.join("/")} ms`);
  });
});
