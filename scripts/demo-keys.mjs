#!/usr/bin/env node
// Prepares what the demo page (www/) loads, all generated and gitignored:
//
//   www/demo-keys/      the help desk's keys from the committed fixtures (tests/data/smime,
//                       tests/data/openpgp): two agents with their secret keys (S/MIME and
//                       OpenPGP), two customers with public certificates/keys only, the S/MIME
//                       CA chain (root trusted), plus gpg-made OpenPGP keys for the S/MIME
//                       addresses (see gpgKeys). manifest.json lists them with their roles.
//   www/demo-messages/  incoming mail for the demo ticket, written by the built package itself
//                       (pkg/node.mjs, so run `make pkg` first) from the customers' secret keys,
//                       which never reach www/: signed and encrypted in both standards, a
//                       tampered copy, an unknown signer, a partially signed one, a sender
//                       mismatch, one the agents cannot decrypt, an HTML body with remote content.
//
//   node scripts/demo-keys.mjs [--quiet]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const data = join(root, "tests", "data");
const keysOut = join(root, "www", "demo-keys");
const msgsOut = join(root, "www", "demo-messages");
const quiet = process.argv.includes("--quiet");
const read = (rel) => readFileSync(join(data, rel));
const text = (rel) => readFileSync(join(data, rel), "utf8");

// ---- keys -----------------------------------------------------------------------------------
// S/MIME addresses are @example.com, OpenPGP ones @example.org (the fixtures' own).
const KEYS = [
  { file: "root-ca.crt.pem", role: "ca", name: "Demo root CA", trusted: true, body: () => read("smime/root-ca.crt") },
  { file: "int-ca.crt.pem", role: "ca", name: "Demo intermediate CA", trusted: false, body: () => read("smime/int-ca.crt") },
  { file: "alice.smime.pem", role: "agent", name: "Alice (agent)", trusted: false, body: () => text("smime/alice.crt") + text("smime/alice.key") },
  { file: "alice.sec.asc", role: "agent", name: "Alice (agent)", trusted: true, body: () => read("openpgp/alice.sec.asc") },
  { file: "bob.smime.pem", role: "agent", name: "Bob (agent)", trusted: false, body: () => text("smime/bob.crt") + text("smime/bob.key") },
  { file: "bob.sec.asc", role: "agent", name: "Bob (agent)", trusted: true, body: () => read("openpgp/bob.sec.asc") },
  { file: "carol.crt.pem", role: "customer", name: "Carol (customer)", trusted: false, body: () => read("smime/carol.crt") },
  { file: "carol.pub.asc", role: "customer", name: "Carol (customer)", trusted: true, body: () => read("openpgp/carol.pub.asc") },
  { file: "dave.crt.pem", role: "customer", name: "Dave (customer)", trusted: false, body: () => read("smime/dave.crt") },
  // Dave's OpenPGP key expired on 2026-01-01: the admin view shows it as expired.
  { file: "dave.pub.asc", role: "customer", name: "Dave (customer)", trusted: true, body: () => read("openpgp/dave.pub.asc") },
];

// OpenPGP keys for the S/MIME addresses too (alice@example.com ...), made with gpg when it is
// there (scripts/setup.sh installs it): then the same agent and customer can use either
// standard and the composer's S/MIME / OpenPGP switch has a real choice. Fresh keys each run.
function gpgKeys(people) {
  const home = mkdtempSync(join(tmpdir(), "mailseal-demo-gpg-"));
  const gpg = (...args) =>
    execFileSync("gpg", ["--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const out = {};
    for (const [who, email] of people) {
      gpg("--quick-gen-key", `${who[0].toUpperCase()}${who.slice(1)} <${email}>`, "ed25519", "sign", "5y");
      const fpr = gpg("--list-keys", "--with-colons", email).toString().match(/^fpr:+([0-9A-F]{40}):/m)[1];
      gpg("--quick-add-key", fpr, "cv25519", "encr", "5y");
      out[who] = { secret: gpg("--armor", "--export-secret-keys", fpr), public: gpg("--armor", "--export", fpr) };
    }
    return out;
  } catch (e) {
    if (!quiet) console.log(`demo-keys: no gpg-made keys for the @example.com addresses (${e.message.split("\n")[0]})`);
    return null;
  } finally {
    try {
      execFileSync("gpgconf", ["--homedir", home, "--kill", "all"], { stdio: "ignore" });
    } catch {}
    rmSync(home, { recursive: true, force: true });
  }
}
const made = gpgKeys([
  ["alice", "alice@example.com"],
  ["bob", "bob@example.com"],
  ["carol", "carol@example.com"],
  ["dave", "dave@example.com"],
]);
if (made) {
  KEYS.push(
    { file: "alice.com.sec.asc", role: "agent", name: "Alice (agent)", trusted: true, body: () => made.alice.secret },
    { file: "bob.com.sec.asc", role: "agent", name: "Bob (agent)", trusted: true, body: () => made.bob.secret },
    { file: "carol.com.pub.asc", role: "customer", name: "Carol (customer)", trusted: true, body: () => made.carol.public },
    { file: "dave.com.pub.asc", role: "customer", name: "Dave (customer)", trusted: true, body: () => made.dave.public },
  );
}

rmSync(keysOut, { recursive: true, force: true });
mkdirSync(keysOut, { recursive: true });
for (const k of KEYS) writeFileSync(join(keysOut, k.file), k.body());
writeFileSync(
  join(keysOut, "manifest.json"),
  JSON.stringify({ keys: KEYS.map(({ file, role, name, trusted }) => ({ file, role, name, trusted })) }, null, 2) + "\n",
);
if (!quiet) console.log(`demo-keys: ${KEYS.length} keys -> www/demo-keys/`);

// ---- messages -------------------------------------------------------------------------------
const pkgEntry = join(root, "pkg", "dist", "node", "mailseal.js");
if (!existsSync(pkgEntry)) {
  console.error("demo-keys: the package is not built (run `make pkg`): no demo messages written");
  process.exit(1);
}
const { Keyring, protect } = await import(pathToFileURL(join(root, "pkg", "node.mjs")).href);

// The customers' side: their secret keys, plus the agents' public keys to encrypt to.
const senders = new Keyring();
senders.import(read("smime/root-ca.crt"), { trusted: true });
senders.import(read("smime/int-ca.crt"));
for (const who of ["alice", "bob", "carol", "dave"]) senders.import(text(`smime/${who}.crt`) + text(`smime/${who}.key`));
for (const who of ["alice", "bob", "carol", "stranger"]) senders.import(read(`openpgp/${who}.sec.asc`), { trusted: true });
if (made) for (const who of Object.keys(made)) senders.import(made[who].secret, { trusted: true });

const TICKET = "Ticket #4711";
const dec = new TextDecoder();
const one = async (draft, opts) => {
  const out = await protect(senders, draft, opts);
  if (out.deliveries.length !== 1) throw new Error(`expected one delivery for ${draft.subject}`);
  return dec.decode(out.deliveries[0].mime);
};
/** Splits a message at its first empty line: [header block, body]. */
const split = (mime) => {
  const at = mime.indexOf("\r\n\r\n");
  return [mime.slice(0, at), mime.slice(at + 4)];
};
/** The value of one header field (with folded continuation lines) from a header block. */
const headerField = (head, name) => {
  const m = head.match(new RegExp(`^${name}:[^\\r]*(\\r\\n[ \\t][^\\r]*)*`, "im"));
  return m ? m[0] : null;
};

const csv = "date,item,amount\r\n2026-11-02,VPN licence,120.00\r\n2026-11-03,Token,35.50\r\n";
const messages = [];
const add = (file, title, mime) => {
  messages.push({ file, title });
  writeFileSync(join(msgsOut, file), mime);
};
rmSync(msgsOut, { recursive: true, force: true });
mkdirSync(msgsOut, { recursive: true });

add(
  "01-smime-signed-encrypted.eml",
  "S/MIME, signed and encrypted, with an attachment",
  await one(
    {
      from: "carol@example.com", to: "alice@example.com", subject: `${TICKET}: VPN access (S/MIME)`,
      text: "Hello Alice,\r\n\r\nmy VPN token stopped working this morning. The invoice is attached.\r\n\r\nCarol\r\n",
      attachments: [{ filename: "invoice.csv", contentType: "text/csv", data: csv }],
    },
    { sign: true, encrypt: true, method: "smime" },
  ),
);
add(
  "02-pgp-signed-encrypted.eml",
  "OpenPGP, signed and encrypted, with an attachment",
  await one(
    {
      from: "carol@example.org", to: "alice@example.org", subject: `${TICKET}: VPN access (OpenPGP)`,
      text: "Hi Alice,\r\n\r\nthe same problem from my private address. Log attached.\r\n\r\nCarol\r\n",
      attachments: [{ filename: "vpn.log", contentType: "text/plain", data: "11:02 auth failed: token 0042\r\n" }],
    },
    { sign: true, encrypt: true, method: "pgp" },
  ),
);
add(
  "03-smime-signed-html.eml",
  "S/MIME, signed only, HTML body with remote content and a saved web page attached",
  await one(
    {
      from: "dave@example.com", to: "alice@example.com", subject: `${TICKET}: screenshot`,
      text: "Hello, see the HTML version.\r\n",
      html: '<p>Hello, <b>the VPN client</b> shows this:</p><p><img src="https://tracker.example.net/pixel.png" alt="remote image"></p><p style="color:#a00">Error 809</p>',
      // A saved page with a script: the page offers it to save, never to run at its origin.
      attachments: [{ filename: "vpn-portal.html", contentType: "text/html", data: "<!doctype html><title>VPN portal</title><script>document.title = 'script ran'</script><p>Error 809</p>\r\n" }],
    },
    { sign: true, encrypt: false, method: "smime" },
  ),
);
const signedPgp = await one(
  { from: "carol@example.org", to: "alice@example.org", subject: `${TICKET}: new token number`, text: "Please register my new token: 0042-7781.\r\n" },
  { sign: true, encrypt: false, method: "pgp" },
);
add("04-pgp-signed.eml", "OpenPGP, signed only", signedPgp);
add(
  "05-pgp-tampered.eml",
  "OpenPGP signed, changed in transit (tampered)",
  signedPgp.replace("0042-7781", "6666-0000"),
);
add(
  "06-pgp-unknown-signer.eml",
  "OpenPGP, signed by a key the help desk does not know",
  await one(
    { from: "stranger@example.org", to: "alice@example.org", subject: `${TICKET}: I can help`, text: "I am from IT, send me your password.\r\n" },
    { sign: true, encrypt: false, method: "pgp" },
  ),
);
// Partially signed: an unsigned part put next to a signed one (a forward, or an attacker).
{
  const signed = await one(
    { from: "carol@example.com", to: "alice@example.com", subject: `${TICKET}: confirmation`, text: "I confirm the token change.\r\n" },
    { sign: true, encrypt: false, method: "smime" },
  );
  const [head, body] = split(signed);
  const keep = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version"].map((n) => headerField(head, n)).filter(Boolean);
  const boundary = "demo-partial-7f3a9c";
  const mime =
    keep.join("\r\n") +
    `\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    "UNSIGNED: please also send the new token to carol.backup@example.net\r\n" +
    `--${boundary}\r\n${headerField(head, "Content-Type")}\r\n\r\n${body}\r\n--${boundary}--\r\n`;
  add("07-smime-partially-signed.eml", "S/MIME, only part of the message is signed", mime);
}
// Sender mismatch: signed by Carol, but the From line says Dave.
{
  const signed = await one(
    { from: "carol@example.com", to: "alice@example.com", subject: `${TICKET}: please close`, text: "Please close the ticket.\r\n" },
    { sign: true, encrypt: false, method: "smime" },
  );
  const [head, body] = split(signed);
  add("08-smime-sender-mismatch.eml", "S/MIME signed by someone else than the sender", head.replace(/^From:.*$/im, "From: dave@example.com") + "\r\n\r\n" + body);
}
add(
  "09-smime-not-for-you.eml",
  "S/MIME, encrypted to a customer only (cannot decrypt)",
  await one(
    { from: "dave@example.com", to: "carol@example.com", subject: `${TICKET}: between customers`, text: "Carol, this is for you only.\r\n" },
    { sign: true, encrypt: true, method: "smime" },
  ),
);

writeFileSync(join(msgsOut, "manifest.json"), JSON.stringify({ ticket: TICKET, messages }, null, 2) + "\n");
if (!quiet) console.log(`demo-keys: ${messages.length} messages -> www/demo-messages/`);
