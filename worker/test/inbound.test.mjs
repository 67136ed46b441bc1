// Inbound mail through Email Routing's local simulation (Miniflare's /cdn-cgi/handler/email):
// mail made by openssl (tests/data/smime) and gpg (tests/data/openpgp) to the service
// addresses comes out at the help desk decrypted, with the report as X-Mailseal-* headers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Keyring, open } from "mailseal";
import { HELPDESK, headersOf, repoFile, startWorker } from "./harness.mjs";

const CRLF = "\r\n";
const head = (from, to, subject, id) =>
  [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${id}>`, "Date: Mon, 23 Nov 2026 10:00:00 +0000"].join(CRLF) + CRLF;

// openssl cms -encrypt -aes256 (to bob.crt) of a message signed by alice (NOTES.md).
const smimeMail = () =>
  Buffer.concat([
    Buffer.from(head("alice@example.com", "bob@example.com", "Ticket #4711", "smime-1@example.com")),
    Buffer.from("In-Reply-To: <t-4711@desk.example.com>\r\nReferences: <t-4710@desk.example.com> <t-4711@desk.example.com>\r\n"),
    repoFile("smime/signed-enc-bob.eml"),
  ]);

// gpg -s -e -a -u ALICE -r BOB -r ALICE entity.eml, as PGP/MIME (RFC 3156 §4).
function pgpMail(extraHeaders = "") {
  const armored = repoFile("openpgp/signenc-alice.asc").toString("latin1").replace(/\r?\n/g, CRLF);
  return (
    head("alice@example.org", "bob@example.org", "...", "pgp-1@example.org") +
    extraHeaders +
    'MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"\r\n\r\n' +
    "--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n" +
    '--enc\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n' +
    armored +
    "\r\n--enc--\r\n"
  );
}

const noContentIn = (w, ...secrets) => {
  const all = w.stdio.join("") + w.logs.join("\n");
  for (const s of secrets) assert.ok(!all.includes(s), `"${s}" must not appear in the logs`);
};

describe("inbound, decrypted copy to the help desk (INBOUND_MODE=decrypted)", () => {
  let w;
  before(async () => {
    w = await startWorker();
  });
  after(() => w?.dispose());

  test("S/MIME encrypted + signed (openssl) → decrypted copy with the report", async () => {
    const res = await w.email("alice@example.com", "bob@example.com", smimeMail());
    assert.equal(res.status, 200, await res.text());
    const sent = w.sent();
    assert.equal(sent.length, 1, "one decrypted copy through INBOUND_RELAY");
    const mime = sent[0];
    const h = headersOf(mime);
    assert.match(h["x-mailseal-encryption"], /^decrypted; method=smime; algorithm=aes256-cbc/);
    assert.match(h["x-mailseal-signature"], /^valid; method=smime; scope=whole/);
    assert.match(h["x-mailseal-signer"], /^alice@example\.com; key=[0-9A-F]+$/);
    assert.equal(h["x-mailseal-signature-detail"], "The signature is valid.");
    assert.equal(h.from, "<bob@example.com>");
    assert.equal(h.to, `<${HELPDESK}>`);
    assert.match(h["reply-to"], /^<?alice@example\.com>?$/);
    assert.equal(h.subject, "Ticket #4711");
    assert.equal(h["message-id"], "<smime-1@example.com>", "the original Message-ID");
    assert.equal(h["in-reply-to"], "<t-4711@desk.example.com>", "threading kept");
    assert.match(h.references, /<t-4710@desk\.example\.com>\s+<t-4711@desk\.example\.com>/);
    const text = Buffer.from(mime).toString("utf8");
    assert.match(text, /Ticket #4711 is solved\./, "the decrypted text");
    assert.ok(!/pkcs7-mime/i.test(text), "no ciphertext left");
    // The copy is well-formed MIME: the package reads it back.
    const again = await open(new Keyring(), mime);
    assert.match(again.text, /Hello from the help desk\.\r?\nTicket #4711 is solved\./);
    noContentIn(w, "4711 is solved");
  });

  test("Reply-To is the parsed From address, not an address inside a quoted display name", async () => {
    const mail = Buffer.concat([
      Buffer.from(head('"Alice <attacker@evil.example>" <alice@example.com>', "bob@example.com", "Ticket #4712", "smime-2@example.com")),
      repoFile("smime/signed-enc-bob.eml"),
    ]);
    const res = await w.email("alice@example.com", "bob@example.com", mail);
    assert.equal(res.status, 200, await res.text());
    const h = headersOf(w.sent().at(-1));
    assert.match(h["x-mailseal-signature"], /^valid; /);
    assert.match(h["reply-to"], /^<?alice@example\.com>?$/);
  });

  test("OpenPGP encrypted + signed (gpg, PGP/MIME) → decrypted copy with the report and attachment", async () => {
    const before = w.sent().length;
    const res = await w.email("alice@example.org", "bob@example.org", pgpMail());
    assert.equal(res.status, 200, await res.text());
    const sent = w.sent();
    assert.equal(sent.length, before + 1);
    const mime = sent.at(-1);
    const h = headersOf(mime);
    assert.match(h["x-mailseal-encryption"], /^decrypted; method=pgp; /);
    assert.match(h["x-mailseal-encryption"], /authenticated=yes/);
    assert.match(h["x-mailseal-signature"], /^valid; method=pgp; scope=whole/);
    assert.match(h["x-mailseal-signer"], /^alice@example\.org; key=/);
    assert.equal(h.from, "<bob@example.org>");
    const again = await open(new Keyring(), mime);
    assert.match(again.text, /Grüße, the ticket is attached\./);
    const att = again.attachments.find((a) => a.filename === "attach.bin");
    assert.ok(att, "the attachment survives");
    assert.deepEqual(Buffer.from(att.data), repoFile("openpgp/attach.bin"));
    noContentIn(w, "the ticket is attached");
  });

  test("a tampered encrypted message: original forwarded, report says failed, never valid", async () => {
    const raw = smimeMail().toString("latin1");
    const i = raw.indexOf("MIIR") + 400; // inside the encrypted content
    const tampered = raw.slice(0, i) + (raw[i] === "A" ? "B" : "A") + raw.slice(i + 1);
    const before = { sent: w.sent().length, fwd: w.forwarded().length };
    const res = await w.email("alice@example.com", "bob@example.com", tampered);
    assert.equal(res.status, 200);
    assert.equal(w.sent().length, before.sent, "nothing decrypted to send");
    const fwd = w.forwarded().at(-1);
    assert.equal(w.forwarded().length, before.fwd + 1);
    assert.equal(fwd.rcptTo, HELPDESK);
    assert.match(fwd.headers["x-mailseal-encryption"], /^failed/);
    assert.ok(!/^valid/.test(fwd.headers["x-mailseal-signature"] ?? ""));
  });

  test("timings in workerd (unseal once, then open per message)", (t) => {
    const ev = w.stdio
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    const unseal = ev.filter((e) => e.event === "keyring_unsealed");
    assert.equal(unseal.length, 1, "the keyring is unsealed once per isolate");
    const opens = ev.filter((e) => e.event === "inbound").map((e) => `${e.encryption}/${e.signature} ${e.ms} ms`);
    t.diagnostic(`unseal ${unseal[0].ms} ms; inbound open: ${opens.join(", ")}`);
  });

  test("mail to an address the worker does not serve is rejected", async () => {
    const before = { sent: w.sent().length, fwd: w.forwarded().length };
    await w.email("alice@example.com", "someone-else@example.com", smimeMail());
    // setReject crosses Miniflare's RPC boundary: wait for its log line.
    for (let i = 0; i < 50 && !w.logs.some((l) => l.includes("rejected message")); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(w.logs.some((l) => /rejected message with the following reason: "Unknown address\."/.test(l)));
    assert.equal(w.sent().length, before.sent);
    assert.equal(w.forwarded().length, before.fwd);
  });
});

describe("inbound, a sender's own X-Mailseal headers (INBOUND_MODE=decrypted)", () => {
  let w;
  before(async () => {
    w = await startWorker();
  });
  after(() => w?.dispose());

  test("plain mail claiming a valid signature reaches the help desk as a rebuilt copy with the worker's verdict only", async () => {
    const forged =
      head("alice@example.com", "bob@example.com", "Please pay invoice 77", "forged-1@example.com") +
      "X-Mailseal-Signature: valid; method=smime; scope=whole\r\nX-Mailseal-Signer: alice@example.com\r\n" +
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nPay to account 1234.\r\n";
    const fwdBefore = w.forwarded().length;
    const res = await w.email("mallory@example.net", "bob@example.com", forged);
    assert.equal(res.status, 200, await res.text());
    assert.equal(w.forwarded().length, fwdBefore, "not forwarded with the sender's headers");
    const mime = w.sent().at(-1).toString("latin1");
    const verdicts = mime.split("\r\n\r\n")[0].match(/^X-Mailseal-Signature: .*$/gim);
    assert.equal(verdicts.length, 1, mime.slice(0, 600));
    assert.doesNotMatch(verdicts[0], /valid/);
    assert.doesNotMatch(mime, /X-Mailseal-Signer: alice/i);
    assert.match(mime, /Pay to account 1234\./);
  });
});

describe("inbound, original forwarded with the report (INBOUND_MODE=original)", () => {
  let w;
  before(async () => {
    w = await startWorker({ vars: { INBOUND_MODE: "original" } });
  });
  after(() => w?.dispose());

  test("S/MIME: the original goes on unchanged, the report in X-Mailseal-* headers", async () => {
    const res = await w.email("alice@example.com", "bob@example.com", smimeMail());
    assert.equal(res.status, 200);
    assert.equal(w.sent().length, 0, "no decrypted copy");
    const [fwd] = w.forwarded();
    assert.equal(fwd.rcptTo, HELPDESK);
    assert.match(fwd.headers["x-mailseal-encryption"], /^decrypted; method=smime/);
    assert.match(fwd.headers["x-mailseal-signature"], /^valid; method=smime/);
    assert.match(fwd.headers["x-mailseal-signer"], /^alice@example\.com/);
  });

  test("a sender's own X-Mailseal headers are flagged", async () => {
    const forged = pgpMail("X-Mailseal-Signature: valid; method=pgp\r\n");
    const res = await w.email("alice@example.org", "bob@example.org", forged);
    assert.equal(res.status, 200);
    const fwd = w.forwarded().at(-1);
    assert.match(fwd.headers["x-mailseal-warning"], /original carried X-Mailseal headers/);
    assert.match(fwd.headers["x-mailseal-signature"], /^valid; method=pgp/);
  });
});
