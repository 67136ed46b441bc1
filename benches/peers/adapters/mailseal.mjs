// mailseal as one more peerbench column, through the package's public API only
// (`import { Keyring, protect, open } from "mailseal"`, installed from ../../pkg).
//
// mailseal works on whole e-mail messages, the harness on bare bytes, so this adapter maps:
// - encrypt / sign: the payload is the one attachment of a Draft; protect() builds and protects
//   the message; the adapter returns the CMS DER (S/MIME) or the binary OpenPGP packets (PGP/MIME)
//   taken out of the message's base64 / ASCII-armoured part.
// - decrypt: ciphertext mailseal made is opened in the message protect() wrote around it;
//   other ciphertext goes into an application/pkcs7-mime (or PGP/MIME multipart/encrypted)
//   message first; open() decrypts and the attachment is returned.
// - verify: a signature mailseal made is verified on the message it came from; for other data
//   than it signed (the tamper checks), with that data put back as the attachment (so tampered
//   data really goes through open()); a signature from another implementation is verified with
//   the data as the signed MIME part verbatim.
// The timed work is therefore what a mailseal user pays: MIME build / parse included.
// Because mailseal's plaintext is the MIME entity around the payload, cross-implementation cells
// fail with "wrong output" by design (the peers see a MIME entity, mailseal expects one).

import { Keyring, protect, open, version } from 'mailseal';

const te = new TextEncoder();
const latin1 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('latin1');
const address = (kt) => `${kt}@bench.test`;
// Base64 in 76-column CRLF lines (a regex replace over a 1.4 MB string was a visible share of
// a 1 MiB cell: this is harness glue, not mailseal work).
function b64lines(u8) {
  const b64 = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64');
  const lines = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

// mailseal's output is 7-bit MIME, so the platform's UTF-8 decoder turns its bytes into text
// natively (the Buffer shim's latin1 goes a character at a time in the browser).
const td = new TextDecoder();
const EDGE = 16384;
/// The one part of a MIME message (bytes) whose Content-Type starts with `type`: its body, as
/// text. Its header is found in the first or last 16 KiB (the encrypted body is the first part,
/// the signature the last), its end at the last delimiter line, so the harness does not turn a
/// whole 1 MiB message into a string to find a part (that is harness glue, not mailseal work).
function partBody(message, type) {
  const re = new RegExp(`Content-Type: ${type.replace(/[/.+]/g, '\\$&')}`, 'i');
  let base = 0;
  let edge = td.decode(message.subarray(0, EDGE));
  let at = edge.search(re);
  if (at < 0) {
    base = Math.max(0, message.length - EDGE);
    edge = td.decode(message.subarray(base));
    at = edge.search(re);
  }
  if (at < 0) throw new Error(`mailseal output has no ${type} part`);
  const start = base + edge.indexOf('\r\n\r\n', at) + 4;
  const tailAt = Math.max(start, message.length - EDGE);
  const delimiter = td.decode(message.subarray(tailAt)).lastIndexOf('\r\n--');
  const end = delimiter < 0 ? message.length : tailAt + delimiter;
  return td.decode(message.subarray(start, end));
}
// Buffer's base64 decoder and the browser's Uint8Array.fromBase64 skip the line ends themselves.
const base64Part = (message, type) => new Uint8Array(Buffer.from(partBody(message, type), 'base64'));

// RFC 9580 §6: ASCII armour, for moving PGP/MIME parts to and from the harness's binary packets.
// Without the optional CRC24 line (§6.1: readers must not reject its absence; mailseal ignores
// it): a bit-by-bit CRC in JS took 70+ ms per MiB inside the timed decrypt/verify calls.
function armor(u8, kind) {
  return `-----BEGIN PGP ${kind}-----\r\n\r\n${b64lines(u8)}\r\n-----END PGP ${kind}-----\r\n`;
}
// The base64 decoders (Node's Buffer, the browser's Uint8Array.fromBase64) skip the line ends
// themselves: splitting and joining 1.4 MB of lines in JS was ~3 ms of each 1 MiB cell.
function dearmor(text) {
  const start = text.indexOf('\r\n\r\n') + 4;
  let end = text.indexOf('-----END', start);
  if (end < 0) end = text.length; // partBody stops at the END line's "\r\n--"
  const crc = text.lastIndexOf('\n=', end); // the CRC24 line, when present
  if (crc > start) end = crc + 1;
  return new Uint8Array(Buffer.from(text.slice(start, end), 'base64'));
}

const headers = (kt, contentType) => `From: <${address(kt)}>\r\nTo: <${address(kt)}>\r\nSubject: bench\r\n` +
  `Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n`;

function smimeEnveloped(der, kt) {
  return te.encode(headers(kt, 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"') +
    'Content-Transfer-Encoding: base64\r\n\r\n' + b64lines(der) + '\r\n');
}
function pgpEncrypted(packets, kt) {
  const b = '=_bench_pgp_encrypted';
  return te.encode(headers(kt, `multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${b}"`) +
    `\r\n--${b}\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n` +
    `--${b}\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n${armor(packets, 'MESSAGE')}\r\n--${b}--\r\n`);
}
// A detached signature made elsewhere over `data`: data is the signed MIME part as is.
function foreignSigned(data, sigPart, protocol, kt) {
  const b = '=_bench_signed_7d41';
  return te.encode(headers(kt, `multipart/signed; protocol="${protocol}"; micalg=sha-256; boundary="${b}"`) +
    `\r\n--${b}\r\n` + latin1(data) + `\r\n--${b}\r\nContent-Type: ${protocol}\r\n` + sigPart + `\r\n--${b}--\r\n`);
}

let ring;
// What mailseal made, by the bytes the harness got out of it (ciphertext or signature): the
// message itself and the payload it protects. Decrypt and verify cells of mailseal's own
// output open that message as protect() wrote it, so no harness glue (base64 lines, string
// replace, TextEncoder over 1.4 MB: several ms per 1 MiB cell) is timed as mailseal work; the
// message is rebuilt only for other data (the tamper checks) or other implementations' output.
const made = new WeakMap();

async function run(data, kt, method, sign, encrypt, policy) {
  const a = address(kt);
  const draft = { from: a, to: [a], subject: 'bench', attachments: [{ filename: 'payload.bin', contentType: 'application/octet-stream', data }] };
  const { deliveries } = await protect(ring, draft, { sign, encrypt, method, policy });
  if (deliveries.length !== 1 || deliveries[0].method !== method) throw new Error('mailseal did not protect with ' + method);
  return deliveries[0].mime;
}
/// `output` (the harness's bytes) came from `message`, protecting `data`.
function remember(output, message, data) {
  made.set(output, { message, data });
  return output;
}
function payloadOf(opened) {
  const att = opened.attachments.find((x) => x.filename === 'payload.bin');
  if (!att) throw new Error('no payload in the opened message');
  return att.data;
}
async function verifyOwn(data, sig) {
  const own = made.get(sig);
  if (!own) return null;
  const message = data === own.data ? own.message
    : te.encode(latin1(own.message).replace(b64lines(own.data), b64lines(data)));
  const o = await open(ring, message);
  return o.signature.state === 'valid';
}
/// The message for decrypting `ct`: the one mailseal made, or one built around foreign output.
const encryptedMessage = (ct, build) => made.get(ct)?.message ?? build(ct);

export default {
  name: 'mailseal (wasm)',
  version: version(),
  families: ['pgp', 'smime'],

  supports(op, kt, variant) {
    if (op.startsWith('smime.') && variant && variant.keyTransport === 'rsa-pkcs1v15' && kt === 'p256') return 'RSA only';
    return true;
  },

  async setup(keys) {
    ring = new Keyring();
    for (const kt of Object.keys(keys.x509)) {
      // Self-signed bench certificates: their own trust anchor.
      ring.import(keys.x509[kt].certDer, { trusted: true });
      ring.import(keys.x509[kt].p12, { passphrase: keys.x509[kt].p12Password });
    }
    // The desk's own keys: verified (trusted), as an admin imports them; only such OpenPGP
    // keys make a signature valid.
    for (const kt of Object.keys(keys.pgp)) ring.import(keys.pgp[kt].secretArmored, { trusted: true });
  },
  async teardown() { ring.free(); },

  async pgpEncrypt(data, kt) {
    const message = await run(data, kt, 'pgp', false, true);
    return remember(dearmor(partBody(message, 'application/octet-stream')), message, data);
  },
  async pgpEncryptSign(data, kt) {
    const message = await run(data, kt, 'pgp', true, true);
    return remember(dearmor(partBody(message, 'application/octet-stream')), message, data);
  },
  async pgpSign(data, kt) {
    const message = await run(data, kt, 'pgp', true, false);
    return remember(dearmor(partBody(message, 'application/pgp-signature')), message, data);
  },
  async pgpDecrypt(ct, kt) {
    const o = await open(ring, encryptedMessage(ct, (x) => pgpEncrypted(x, kt)));
    if (o.encryption.state !== 'decrypted') throw new Error(o.encryption.detail);
    return payloadOf(o);
  },
  async pgpDecryptVerify(ct, kt) {
    const o = await open(ring, encryptedMessage(ct, (x) => pgpEncrypted(x, kt)));
    if (o.encryption.state !== 'decrypted') throw new Error(o.encryption.detail);
    if (o.signature.state !== 'valid') throw new Error(`signature ${o.signature.state}: ${o.signature.detail}`);
    return payloadOf(o);
  },
  async pgpVerify(data, sig, kt) {
    const own = await verifyOwn(data, sig);
    if (own !== null) return own;
    const o = await open(ring, foreignSigned(data, '\r\n' + armor(sig, 'SIGNATURE'), 'application/pgp-signature', kt));
    return o.signature.state === 'valid';
  },

  async smimeEncrypt(data, kt, { cipher, keyTransport }) {
    const policy = {
      smimeCipher: cipher === 'aes-256-gcm' ? 'aes256-gcm' : 'aes256-cbc',
      smimeKeyTransport: keyTransport === 'rsa-pkcs1v15' ? 'rsa-pkcs1v15' : 'rsa-oaep-sha256',
    };
    const message = await run(data, kt, 'smime', false, true, policy);
    return remember(base64Part(message, 'application/pkcs7-mime'), message, data);
  },
  async smimeDecrypt(ct, kt) {
    const o = await open(ring, encryptedMessage(ct, (x) => smimeEnveloped(x, kt)));
    if (o.encryption.state !== 'decrypted') throw new Error(o.encryption.detail);
    return payloadOf(o);
  },
  async smimeSign(data, kt) {
    const message = await run(data, kt, 'smime', true, false, { smimeSignedForm: 'detached' });
    return remember(base64Part(message, 'application/pkcs7-signature'), message, data);
  },
  async smimeVerify(data, sig, kt) {
    const own = await verifyOwn(data, sig);
    if (own !== null) return own;
    const o = await open(ring, foreignSigned(data, 'Content-Transfer-Encoding: base64\r\n\r\n' + b64lines(sig), 'application/pkcs7-signature', kt));
    return o.signature.state === 'valid';
  },

  coldStart: {
    imports: `const m = await import('mailseal');`,
    firstOp: `const ring = new m.Keyring(); ring.import(fs.readFileSync('keys/x509/rsa2048.crt.der'));
      await m.protect(ring, { from: 'desk@bench.test', to: ['rsa2048@bench.test'], text: 'x'.repeat(1024) }, { sign: false, encrypt: true, method: 'smime' });`,
    firstOpLabel: 'import cert(RSA-2048)+protect (S/MIME encrypt) 1 KiB',
  },
  bundles: [
    { label: 'dist/web: mailseal_bg.wasm + mailseal.js (browser)', files: ['node_modules/mailseal/dist/web/mailseal_bg.wasm', 'node_modules/mailseal/dist/web/mailseal.js'] },
  ],
};
