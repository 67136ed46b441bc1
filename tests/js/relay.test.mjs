// What a relay (the Worker) takes from the package instead of writing MIME itself (issue 17):
// the report as header fields (`opened.reportHeaders`), a header value encoded for `Headers`
// (`headerLine`), and a copy built with Reply-To and the report (`draft.replyTo`,
// `draft.extraHeaders`).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring, deliveriesMultipart, headerLine, open, protect } from "mailseal";
import { rejectsCode, trustedPgpRing } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");

// Every key as verified by the admin (trusted): only such OpenPGP keys make a signature valid.
const ringWith = (...files) => trustedPgpRing(now, ...files);

/** The header section of a message as name (lower-case) → unfolded value. */
function headerSection(mime) {
  const text = Buffer.from(mime).toString("latin1");
  const head = text.slice(0, text.indexOf("\r\n\r\n")).replace(/\r\n[ \t]/g, " ");
  return new Map(head.split("\r\n").map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
}

describe("relay: the report as header fields", () => {
  test("a signed and encrypted message: the fields say what the report says", async () => {
    const alice = ringWith("alice.sec.asc", "bob.pub.asc");
    const draft = { from: "alice@example.org", to: "bob@example.org", subject: "Ticket #7", text: "Grüße\n" };
    const [d] = (await protect(alice, draft, { sign: true, encrypt: true, now })).deliveries;
    const opened = await open(ringWith("bob.sec.asc", "alice.pub.asc"), d.mime, { now });
    const fields = new Map(opened.reportHeaders);
    assert.deepEqual(
      [...fields.keys()],
      ["X-Mailseal-Encryption", "X-Mailseal-Signature", "X-Mailseal-Signer", "X-Mailseal-Encryption-Detail", "X-Mailseal-Signature-Detail", "X-Mailseal-Protected-Headers"],
    );
    assert.match(fields.get("X-Mailseal-Encryption"), /^decrypted; method=pgp; algorithm=\S+; authenticated=yes; key=[0-9A-F]+$/);
    assert.match(fields.get("X-Mailseal-Signature"), /^valid; method=pgp; scope=whole/);
    assert.match(fields.get("X-Mailseal-Signer"), /^alice@example\.org; key=[0-9A-F]+$/);
    assert.equal(fields.get("X-Mailseal-Signature-Detail"), opened.signature.detail);
  });

  test("an unsigned plain message says none twice and nothing more", async () => {
    const raw = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n";
    const opened = await open(new Keyring(), raw, { now });
    assert.deepEqual(opened.reportHeaders, [
      ["X-Mailseal-Encryption", "none"],
      ["X-Mailseal-Signature", "none"],
    ]);
  });

  test("headerLine: ASCII as it is, anything else in encoded-words of at most 75 characters, one line", () => {
    assert.equal(headerLine("X-Mailseal-Signature", "valid; method=smime"), "valid; method=smime");
    const text = "Ce message n'a pas été signé par son expéditeur. ".repeat(6);
    const line = headerLine("X-Mailseal-Signature-Detail", `${text}\r\nBcc: someone@example.org`);
    assert.ok(!/[\r\n]/.test(line), "one line: no header injection");
    assert.match(line, /^[\x20-\x7e]+$/);
    for (const word of line.split(" ")) assert.ok(word.length <= 75, word);
    // What the words say is the text (decoded the way a mail client does).
    const decoded = line
      .split(" ")
      .map((w) => {
        const m = /^=\?utf-8\?(b|q)\?(.*)\?=$/i.exec(w);
        if (!m) return w;
        if (m[1].toLowerCase() === "b") return Buffer.from(m[2], "base64");
        return Buffer.from(m[2].replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1");
      });
    assert.match(Buffer.concat(decoded.map((p) => (typeof p === "string" ? Buffer.from(p) : p))).toString("utf8"), /été signé par son expéditeur/);
  });

  test("deliveriesMultipart: one message/rfc822 part per copy, the copy byte for byte", async () => {
    const alice = ringWith("alice.sec.asc", "bob.pub.asc");
    const draft = { from: "alice@example.org", to: ["bob@example.org", "nokey@example.net"], subject: "s", text: "hi\n" };
    const out = await protect(alice, draft, { sign: true, encrypt: true, now, policy: { fallback: "send_plain" } });
    assert.equal(out.deliveries.length, 2);
    const { contentType, body } = deliveriesMultipart(out.deliveries);
    const boundary = /^multipart\/mixed; boundary="([^"]+)"$/.exec(contentType)?.[1];
    assert.ok(boundary, contentType);
    const text = Buffer.from(body).toString("latin1");
    const parts = text.split(`--${boundary}`).slice(1, -1);
    assert.equal(parts.length, 2);
    for (const [i, d] of out.deliveries.entries()) {
      const part = parts[i];
      assert.match(part, /^\r\nContent-Type: message\/rfc822\r\n/);
      assert.match(part, new RegExp(`\r\nX-Mailseal-Method: ${d.method}\r\n`));
      assert.match(part, new RegExp(`\r\nX-Mailseal-Encrypted: ${d.encrypted}\r\n`));
      const inner = part.slice(part.indexOf("\r\n\r\n") + 4, -2);
      assert.equal(inner, Buffer.from(d.mime).toString("latin1"), "the copy as protect made it");
    }
    assert.throws(() => deliveriesMultipart([{ to: "x" }]), (e) => e.code === "bad_input");
  });

  test("a copy with Reply-To and the report: the package writes and encodes them", async () => {
    const draft = {
      from: "desk@example.org",
      to: "inbox@example.org",
      subject: "Fwd",
      text: "hello\n",
      replyTo: "Zoë <zoe@example.org>",
      extraHeaders: [
        ["X-Mailseal-Signature", "valid; method=pgp; scope=whole"],
        ["X-Mailseal-Signature-Detail", "Signé.\r\nBcc: injected@example.org"],
      ],
    };
    const [d] = (await protect(new Keyring(), draft, { sign: false, encrypt: false, now })).deliveries;
    const h = headerSection(d.mime);
    assert.match(h.get("reply-to"), /<zoe@example\.org>$/);
    assert.equal(h.get("x-mailseal-signature"), "valid; method=pgp; scope=whole");
    assert.match(h.get("x-mailseal-signature-detail"), /^=\?utf-8\?/i);
    assert.ok(!h.has("bcc"), "a line break in a value does not start a field");
    await rejectsCode(() => protect(new Keyring(), { ...draft, extraHeaders: [["Subject", "x"]] }, { sign: false, encrypt: false, now }), "bad_input");
    await rejectsCode(() => protect(new Keyring(), { ...draft, extraHeaders: [["X-Only-Name"]] }, { sign: false, encrypt: false, now }), "bad_input");
  });
});
