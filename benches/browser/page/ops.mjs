// peerbench's operations (benches/peers/bench.mjs: the same ids, labels, variants, sizes and
// output checks), for the browser harness: the host (bench.mjs, Node) walks them and the bench
// worker (runner.mjs, Chromium) runs them. Plain JavaScript: the page serves this file as is.

export const SIZE_DEFS = {
  '1k': { label: '1 KiB', bytes: 1024, warm: 3, minN: 9, maxN: 61 },
  '1m': { label: '1 MiB', bytes: 1 << 20, warm: 2, minN: 5, maxN: 25 },
  '10m': { label: '10 MiB', bytes: 10 << 20, warm: 1, minN: 3, maxN: 11 },
};

const PGP_KT = ['rsa3072', 'ed25519'];
const SMIME_KT = ['rsa2048', 'rsa3072', 'p256'];

const V_CBC_OAEP = { key: 'cbc-oaep', cipher: 'aes-256-cbc', keyTransport: 'rsa-oaep', label: 'AES-256-CBC, RSA-OAEP-SHA256 / ECDH' };
const V_CBC_PKCS1 = { key: 'cbc-pkcs1', cipher: 'aes-256-cbc', keyTransport: 'rsa-pkcs1v15', label: 'AES-256-CBC, RSA PKCS#1 v1.5', rsaOnly: true };
const V_GCM = { key: 'gcm', cipher: 'aes-256-gcm', keyTransport: 'rsa-oaep', label: 'AES-256-GCM, RSA-OAEP-SHA256 / ECDH' };
const SMIME_VARIANTS = [V_CBC_OAEP, V_CBC_PKCS1, V_GCM];

function eqBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const nonEmpty = (o) => o && o.length > 0;

// prep() makes the untimed input (the adapter's own ciphertext / signature), call() is timed, check() validates.
export const OPS = [
  { id: 'pgp.encrypt', family: 'pgp', label: 'encrypt', method: 'pgpEncrypt',
    call: (a, c) => a.pgpEncrypt(c.data, c.kt), check: nonEmpty },
  { id: 'pgp.sign', family: 'pgp', label: 'sign (detached)', method: 'pgpSign',
    call: (a, c) => a.pgpSign(c.data, c.kt), check: nonEmpty },
  { id: 'pgp.encryptSign', family: 'pgp', label: 'encrypt+sign', method: 'pgpEncryptSign',
    call: (a, c) => a.pgpEncryptSign(c.data, c.kt), check: nonEmpty },
  { id: 'pgp.decrypt', family: 'pgp', label: 'decrypt', method: 'pgpDecrypt', needs: ['pgpEncrypt'],
    prep: (a, c) => a.pgpEncrypt(c.data, c.kt),
    call: (a, c) => a.pgpDecrypt(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) },
  { id: 'pgp.decryptVerify', family: 'pgp', label: 'decrypt+verify', method: 'pgpDecryptVerify', needs: ['pgpEncryptSign'],
    prep: (a, c) => a.pgpEncryptSign(c.data, c.kt),
    call: (a, c) => a.pgpDecryptVerify(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) },
  { id: 'pgp.verify', family: 'pgp', label: 'verify (detached)', method: 'pgpVerify', needs: ['pgpSign'],
    prep: (a, c) => a.pgpSign(c.data, c.kt),
    call: (a, c) => a.pgpVerify(c.data, c.input, c.kt), check: (o) => o === true },
  ...SMIME_VARIANTS.map((v) => ({ id: `smime.encrypt.${v.key}`, family: 'smime', label: `encrypt [${v.label}]`, variant: v,
    method: 'smimeEncrypt', call: (a, c) => a.smimeEncrypt(c.data, c.kt, v), check: nonEmpty })),
  ...SMIME_VARIANTS.map((v) => ({ id: `smime.decrypt.${v.key}`, family: 'smime', label: `decrypt [${v.label}]`, variant: v,
    method: 'smimeDecrypt', needs: ['smimeEncrypt'],
    prep: (a, c) => a.smimeEncrypt(c.data, c.kt, v),
    call: (a, c) => a.smimeDecrypt(c.input, c.kt), check: (o, c) => eqBytes(o, c.data) })),
  { id: 'smime.sign', family: 'smime', label: 'sign (detached, SHA-256)', method: 'smimeSign',
    call: (a, c) => a.smimeSign(c.data, c.kt), check: nonEmpty },
  { id: 'smime.verify', family: 'smime', label: 'verify (detached)', method: 'smimeVerify', needs: ['smimeSign'],
    prep: (a, c) => a.smimeSign(c.data, c.kt),
    call: (a, c) => a.smimeVerify(c.data, c.input, c.kt), check: (o) => o === true },
];

export const keyTypesFor = (op) => (op.family === 'pgp' ? PGP_KT : SMIME_KT).filter((kt) => !(op.variant?.rsaOnly && !kt.startsWith('rsa')));
