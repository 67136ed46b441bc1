// A dedicated module Web Worker that does a help desk's mailseal work off the main thread: it
// loads the package's browser entry (pkg/package.json `exports["."].browser`, i.e. web.mjs and
// dist/web), initialises the wasm, imports keys from the committed fixtures (tests/data, served
// at /data/), and for S/MIME and OpenPGP protects a draft, opens it as the recipient, and opens
// tampered copies. Only plain data is posted back: verdicts and text, never a Keyring.

const bytes = async (path) => {
  const res = await fetch(`/data/${path}`);
  if (!res.ok) throw new Error(`/data/${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};
const text = async (path) => new TextDecoder().decode(await bytes(path));

/** The message with its first `from` replaced by `to` (a change to signed or encrypted bytes). */
function replaced(mime, from, to) {
  const s = new TextDecoder("latin1").decode(mime);
  const at = s.indexOf(from);
  if (at < 0) throw new Error(`tamper: ${from} not found`);
  return Uint8Array.from(s.slice(0, at) + to + s.slice(at + from.length), (c) => c.charCodeAt(0));
}

/** One base64 character in the middle of the encrypted body changed. */
function flipped(mime) {
  const s = new TextDecoder("latin1").decode(mime);
  const body = s.indexOf("\r\n\r\n", s.search(/-----BEGIN PGP MESSAGE-----|Content-Transfer-Encoding: base64/i));
  let at = Math.floor((body + s.length) / 2);
  while (!/[A-Za-z0-9+/]/.test(s[at])) at++;
  const c = s[at] === "A" ? "B" : "A";
  return Uint8Array.from(s.slice(0, at) + c + s.slice(at + 1), (ch) => ch.charCodeAt(0));
}

const verdict = (o) => ({
  encryption: o.encryption.state,
  signature: o.signature.state,
  signer: o.signature.signer?.emails ?? [],
  text: o.text ?? "",
});

async function rings(mailseal, method, now) {
  const { Keyring } = mailseal;
  const desk = new Keyring();
  const customer = new Keyring();
  if (method === "smime") {
    for (const ring of [desk, customer]) {
      ring.import(await bytes("smime/root-ca.crt"), { trusted: true, now });
      ring.import(await bytes("smime/int-ca.crt"), { now });
    }
    desk.import((await text("smime/alice.crt")) + (await text("smime/alice.key")), { now });
    desk.import(await bytes("smime/bob.crt"), { now });
    customer.import((await text("smime/bob.crt")) + (await text("smime/bob.key")), { now });
    customer.import(await bytes("smime/alice.crt"), { now });
    return { desk, customer, from: "alice@example.com", to: "bob@example.com" };
  }
  // OpenPGP keys verified by the admin (trusted): only such keys make a signature valid.
  desk.import(await bytes("openpgp/alice.sec.asc"), { trusted: true, now });
  desk.import(await bytes("openpgp/bob.pub.asc"), { trusted: true, now });
  customer.import(await bytes("openpgp/bob.sec.asc"), { trusted: true, now });
  customer.import(await bytes("openpgp/alice.pub.asc"), { trusted: true, now });
  return { desk, customer, from: "alice@example.org", to: "bob@example.org" };
}

/**
 * The platform path (WebCrypto) against the pure-Rust one with 1 MiB messages, which are large
 * enough to be handed to WebCrypto: S/MIME with three content ciphers, and OpenPGP (SEIPD v1,
 * whose AES-CFB encryption runs as WebCrypto AES-CBC). Each path opens what the other wrote,
 * and a tampered copy gives the same verdict on both.
 */
async function crossPaths(mailseal, now) {
  const { protect, open, usePlatformCrypto } = mailseal;
  const payload = new Uint8Array(1 << 20);
  for (let i = 0; i < payload.length; i += 65536) crypto.getRandomValues(payload.subarray(i, i + 65536));
  const results = {};
  // [method, content cipher, S/MIME key transport]: RSA-OAEP decryption and RSA signing run on
  // WebCrypto with the platform on, PKCS#1 v1.5 key transport in wasm on both paths.
  const cases = [["smime", "aes256-cbc"], ["smime", "aes128-cbc"], ["smime", "aes256-gcm"], ["smime", "aes128-gcm"], ["smime", "aes256-gcm", "rsa-oaep-sha256"], ["pgp", "aes256"]];
  for (const [method, cipher, transport] of cases) {
    const { desk, customer, from, to } = await rings(mailseal, method, now);
    const draft = { from, to: [to], subject: "1 MiB", text: "see attachment\n", attachments: [{ filename: "p.bin", contentType: "application/octet-stream", data: payload }] };
    const write = async (platform) => {
      usePlatformCrypto(platform);
      const policy = method === "smime" ? { smimeCipher: cipher, smimeKeyTransport: transport ?? "rsa-pkcs1v15" } : {};
      const out = await protect(desk, draft, { sign: true, encrypt: true, method, encryptToSelf: false, policy, now });
      return out.deliveries[0].mime;
    };
    const read = async (platform, mime) => {
      usePlatformCrypto(platform);
      const o = await open(customer, mime, { now });
      const data = o.attachments[0]?.data;
      const same = data !== undefined && data.length === payload.length && data.every((b, i) => b === payload[i]);
      return { ...verdict(o), algorithm: o.encryption.algorithm, detail: o.encryption.detail, same };
    };
    const cross = [];
    for (const [writer, reader] of [[true, false], [false, true], [true, true]]) {
      cross.push({ writer, reader, ...(await read(reader, await write(writer))) });
    }
    const bad = flipped(await write(true));
    results[[method, cipher, transport].filter(Boolean).join(" ")] = { cipher, cross, tampered: { platform: await read(true, bad), wasm: await read(false, bad) } };
    desk.free();
    customer.free();
  }
  usePlatformCrypto(true);
  return results;
}

/**
 * P-256 S/MIME (dave): ECDSA signatures and ECDH key agreement made on WebCrypto with the
 * platform on, in wasm with it off; each path reads both, and a changed body is invalid on both.
 */
async function ecPaths(mailseal, now) {
  const { Keyring, protect, open, usePlatformCrypto } = mailseal;
  const ring = new Keyring();
  ring.import(await bytes("smime/root-ca.crt"), { trusted: true, now });
  ring.import(await bytes("smime/int-ca.crt"), { now });
  ring.import((await text("smime/dave.crt")) + (await text("smime/dave.key")), { now });
  const draft = { from: "dave@example.com", to: ["dave@example.com"], subject: "P-256", text: "Signed with P-256.\n" };
  const out = [];
  for (const writer of [true, false]) {
    usePlatformCrypto(writer);
    const signed = (await protect(ring, draft, { sign: true, encrypt: false, method: "smime", now })).deliveries[0].mime;
    const sealed = (await protect(ring, draft, { sign: true, encrypt: true, method: "smime", now })).deliveries[0].mime;
    for (const platform of [true, false]) {
      usePlatformCrypto(platform);
      const good = (await open(ring, signed, { now })).signature.state;
      const bad = (await open(ring, replaced(signed, "P-256.", "P-384."), { now })).signature.state;
      const o = await open(ring, sealed, { now });
      out.push({ writer, reader: platform, good, bad, sealed: `${o.encryption.state}/${o.signature.state}`, text: o.text });
    }
  }
  usePlatformCrypto(true);
  ring.free();
  return out;
}

self.onmessage = async ({ data }) => {
  try {
    const { entry } = data;
    const now = new Date(data.now); // the fixtures' clock (keys valid 2026..2036)
    const mailseal = await import(entry);
    await mailseal.default();
    const { protect, open } = mailseal;
    const results = {};
    for (const method of ["smime", "pgp"]) {
      const { desk, customer, from, to } = await rings(mailseal, method, now);
      const draft = { from, to: [to], subject: `Ticket 7 (${method})`, text: "Solved in a Web Worker.\n" };
      const sealed = await protect(desk, draft, { sign: true, encrypt: true, method, now });
      const signed = await protect(desk, draft, { sign: true, encrypt: false, method, now });
      results[method] = {
        delivery: { method: sealed.deliveries[0].method, signed: sealed.deliveries[0].signed, encrypted: sealed.deliveries[0].encrypted },
        roundTrip: verdict(await open(customer, sealed.deliveries[0].mime, { now })),
        signedOnly: verdict(await open(customer, signed.deliveries[0].mime, { now })),
        tamperedSigned: verdict(await open(customer, replaced(signed.deliveries[0].mime, "Solved", "Solver"), { now })),
        tamperedEncrypted: verdict(await open(customer, flipped(sealed.deliveries[0].mime), { now })),
      };
      desk.free();
      customer.free();
    }
    const provider = mailseal.cryptoProvider();
    const platform = await crossPaths(mailseal, now);
    const ec = await ecPaths(mailseal, now);
    self.postMessage({
      ok: true,
      provider,
      platform,
      ec,
      inWorker: typeof WorkerGlobalScope === "function" && self instanceof WorkerGlobalScope && typeof document === "undefined",
      version: mailseal.version(),
      results,
    });
  } catch (e) {
    self.postMessage({ ok: false, name: e?.name, code: e?.code, message: String(e?.message ?? e) });
  }
};
