// Makes the curve448 (and one curve25519) fixtures of this folder with OpenPGP.js 6, as
// `generateKey({ type: 'curve448' })` makes them for Mailvelope, ProtonMail and FlowCrypt users:
// v4 keys, an Ed448 primary key (algorithm 28) with an X448 encryption subkey (algorithm 26).
// NOTES.md says what each file is and which test reads it.
//
//   (cd tests/js && npm ci)   # OpenPGP.js is a devDependency there
//   node tests/data/openpgpjs/make-curve448.mjs
//
// Every run makes new keys (OpenPGP.js draws them from the system's random source), so the
// files change as a whole; the tests only need what is said here to hold. The keys are made
// again until the X448 secret as stored is NOT an RFC 7748 clamped scalar (the low two bits of
// its first octet or the top bit of its last octet say so): OpenPGP.js stores the 56 random
// octets as drawn (noble-curves), and a key whose octets happen to be clamped already (1 in 8)
// would not show what the tests are about (rPGP checked the v4 checksum over the clamped octets).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as openpgp from '../../js/node_modules/openpgp/dist/node/openpgp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const out = (name, data) => {
    fs.writeFileSync(path.join(HERE, name), data);
    console.log('wrote', name);
};

// Keys made on 2026-01-01, messages written on 2026-11-15: both before the tests' clock
// (2026-12-01, tests/common NOW), after the key's creation.
const KEY_DATE = new Date('2026-01-01T00:00:00Z');
const MAIL_DATE = new Date('2026-11-15T09:00:00Z');
const PASSPHRASE = 'curve448 fixture passphrase';

const x448Clamped = (k) => (k[0] & 3) === 0 && (k[55] & 0x80) !== 0;

async function curve448Key() {
    for (let tries = 1; ; tries++) {
        const { privateKey } = await openpgp.generateKey({
            type: 'curve448',
            userIDs: [{ name: 'Olga Curve448', email: 'olga@example.org' }],
            date: KEY_DATE,
            keyExpirationTime: 0,
            format: 'object',
        });
        const sub = privateKey.subkeys[0].keyPacket;
        if (privateKey.keyPacket.version !== 4 || sub.algorithm !== openpgp.enums.publicKey.x448) {
            throw new Error(`not a v4 Ed448 + X448 key: ${privateKey.keyPacket.version} ${sub.algorithm}`);
        }
        if (!x448Clamped(sub.privateParams.k)) {
            console.log(`curve448 key after ${tries} tries: X448 secret stored unclamped`);
            return privateKey;
        }
    }
}

// A curve25519 v4 key whose X25519 secret (algorithm 25) is stored unclamped: OpenPGP.js in
// Node draws it through WebCrypto, which hands it back clamped, so the three low bits of the
// first octet and the top bit of the last are set here, and the checksum written anew by
// armor(). Clamping gives the same scalar, so the public key and what it decrypts are the same.
async function curve25519UnclampedKey() {
    const { privateKey } = await openpgp.generateKey({
        type: 'curve25519',
        userIDs: [{ name: 'Uwe Curve25519', email: 'uwe@example.org' }],
        date: KEY_DATE,
        keyExpirationTime: 0,
        format: 'object',
    });
    const sub = privateKey.subkeys[0].keyPacket;
    if (privateKey.keyPacket.version !== 4 || sub.algorithm !== openpgp.enums.publicKey.x25519) {
        throw new Error(`not a v4 Ed25519 + X25519 key: ${sub.algorithm}`);
    }
    const k = sub.privateParams.k;
    k[0] |= 7;
    k[31] |= 0x80;
    // OpenPGP.js reads it back and still decrypts with it (the check below).
    return openpgp.readPrivateKey({ armoredKey: privateKey.armor() });
}

const crlf = (s) => s.replace(/\r?\n/g, '\r\n');

function headers(from, to, subject, id) {
    return crlf(
        `From: ${from}\nTo: ${to}\nSubject: ${subject}\n` +
            `Date: Sun, 15 Nov 2026 09:00:00 +0000\nMessage-ID: <${id}@example.org>\n` +
            'MIME-Version: 1.0\n',
    );
}

// RFC 3156 §4 around OpenPGP.js's armored message.
function pgpMimeEncrypted(head, armored) {
    return (
        head +
        crlf(
            'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted";\n' +
                ' boundary="enc-c448"\n\nThis is an OpenPGP/MIME encrypted message.\n' +
                '--enc-c448\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n' +
                '--enc-c448\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n' +
                armored +
                '\n--enc-c448--\n',
        )
    );
}

// RFC 3156 §5 around the canonical entity and OpenPGP.js's detached signature.
function pgpMimeSigned(head, entity, armoredSig, micalg) {
    return (
        head +
        crlf(
            `Content-Type: multipart/signed; micalg=${micalg};\n` +
                ' protocol="application/pgp-signature"; boundary="sig-c448"\n\n--sig-c448\n',
        ) +
        entity +
        crlf(
            '\n--sig-c448\nContent-Type: application/pgp-signature; name="signature.asc"\n\n' +
                armoredSig +
                '\n--sig-c448--\n',
        )
    );
}

const olga = await curve448Key();
const olgaPub = olga.toPublic();
out('curve448.sec.asc', olga.armor());
out('curve448.pub.asc', olgaPub.armor());
const locked = await openpgp.encryptKey({ privateKey: olga, passphrase: PASSPHRASE });
out('curve448-protected.sec.asc', locked.armor());

// Signed with Olga's Ed448 key and encrypted to her X448 subkey: a note to herself, the way
// Mailvelope writes PGP/MIME (the inner entity as a text message: a text-mode signature).
const OLGA = 'Olga Curve448 <olga@example.org>';
const inner = crlf(
    'Content-Type: text/plain; charset=utf-8\n\nThe curve448 ticket is resolved.\n',
);
const encrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ text: inner }),
    encryptionKeys: olgaPub,
    signingKeys: olga,
    date: MAIL_DATE,
});
out(
    'curve448-signed-and-encrypted.eml',
    pgpMimeEncrypted(headers(OLGA, OLGA, 'Ticket #448', 'c448-enc'), encrypted),
);

// PGP/MIME signed only (a detached Ed448 signature over the entity).
const entity = crlf('Content-Type: text/plain; charset=utf-8\n\nSigned with Ed448.\n');
const detached = await openpgp.sign({
    message: await openpgp.createMessage({ text: entity }),
    signingKeys: olga,
    detached: true,
    date: MAIL_DATE,
});
const sigPacket = (await openpgp.readSignature({ armoredSignature: detached })).packets[0];
const micalg = `pgp-${openpgp.enums.read(openpgp.enums.hash, sigPacket.hashAlgorithm).toLowerCase()}`;
out(
    'curve448-signed.eml',
    pgpMimeSigned(headers(OLGA, 'Bob <bob@example.org>', 'Ticket #449', 'c448-sig'), entity, detached, micalg),
);

const uwe = await curve25519UnclampedKey();
out('curve25519-unclamped.sec.asc', uwe.armor());
const UWE = 'Uwe Curve25519 <uwe@example.org>';
const toUwe = await openpgp.encrypt({
    message: await openpgp.createMessage({
        text: crlf('Content-Type: text/plain; charset=utf-8\n\nThe curve25519 ticket.\n'),
    }),
    encryptionKeys: uwe.toPublic(),
    signingKeys: uwe,
    date: MAIL_DATE,
});
out(
    'curve25519-unclamped-signed-and-encrypted.eml',
    pgpMimeEncrypted(headers(UWE, UWE, 'Ticket #25519', 'c25519-enc'), toUwe),
);

// What was written reads back in OpenPGP.js: both keys decrypt what was encrypted to them.
for (const [key, armored] of [[olga, encrypted], [uwe, toUwe]]) {
    const { data, signatures } = await openpgp.decrypt({
        message: await openpgp.readMessage({ armoredMessage: armored }),
        decryptionKeys: key,
        verificationKeys: key.toPublic(),
        expectSigned: true,
        date: MAIL_DATE,
    });
    await signatures[0].verified;
    if (!data.includes('ticket')) throw new Error('round trip');
}
const unlocked = await openpgp.decryptKey({
    privateKey: await openpgp.readPrivateKey({ armoredKey: locked.armor() }),
    passphrase: PASSPHRASE,
});
if (!unlocked.isDecrypted()) throw new Error('the protected key did not unlock');
console.log('checked: OpenPGP.js decrypts and verifies both messages, unlocks the protected key');
