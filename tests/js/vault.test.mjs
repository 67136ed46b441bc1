// ring.seal(password) / Keyring.unseal(bytes, password): the keyring encrypted at rest.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Keyring } from "mailseal";
import { fixture, goodImports, importOpts, loadExpected, throwsCode, missingFixture } from "./helpers.mjs";

const expected = loadExpected();
const now = new Date(expected.now);
const PASSWORD = "correct horse battery staple";

describe("seal / unseal", () => {
  let ring;
  let sealed;

  before(() => {
    ring = new Keyring();
    // A few fixtures of each kind, secret keys included, so the vault carries everything.
    const entries = goodImports(expected);
    const pick = [
      ...entries.filter((e) => e.keys.some((k) => k.kind === "pgp")).slice(0, 2),
      ...entries.filter((e) => e.keys.some((k) => k.kind === "smime")).slice(0, 2),
      ...entries.filter((e) => e.keys.some((k) => k.hasSecret)).slice(0, 2),
    ];
    for (const e of new Set(pick)) ring.import(fixture(e.file), importOpts(e, now));
    sealed = ring.seal(PASSWORD);
  });

  test("seal returns bytes that do not contain the password", () => {
    assert.ok(sealed instanceof Uint8Array, "seal() must return a Uint8Array");
    assert.ok(sealed.length > 0);
    assert.ok(!Buffer.from(sealed).includes(Buffer.from(PASSWORD)), "password in the vault");
  });

  test("round trip keeps every key and every field", () => {
    const back = Keyring.unseal(sealed, PASSWORD);
    assert.ok(back instanceof Keyring, "unseal() must return a Keyring");
    const byId = (list) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.ok(ring.list({ now }).length > 0, "nothing was imported to seal");
    assert.deepEqual(byId(back.list({ now })), byId(ring.list({ now })));
  });

  test("secret keys survive the round trip", (t) => {
    const secret = ring.list({ now }).find((k) => k.hasSecret);
    if (!secret) return missingFixture(t, "no fixture with a secret key");
    const back = Keyring.unseal(sealed, PASSWORD);
    const reexported = back.exportSecret(secret.id, "another passphrase");
    assert.ok(reexported instanceof Uint8Array && reexported.length > 0);
  });

  test("an ArrayBuffer is accepted too", () => {
    const back = Keyring.unseal(sealed.slice().buffer, PASSWORD);
    assert.equal(back.list().length, ring.list().length);
  });

  test("sealing twice gives different bytes (fresh salt and nonce)", () => {
    const again = ring.seal(PASSWORD);
    assert.notDeepEqual(Buffer.from(again), Buffer.from(sealed));
  });

  test("an empty keyring seals and unseals", () => {
    const empty = new Keyring().seal(PASSWORD);
    assert.deepEqual(Keyring.unseal(empty, PASSWORD).list(), []);
  });

  test("wrong password -> bad_password", () => {
    const wrong = "Tr0ub4dor&3-not-it";
    const err = throwsCode(() => Keyring.unseal(sealed, wrong), "bad_password", "unseal");
    assert.ok(!err.message.includes(wrong), "error message echoes the password");
  });

  test("altered bytes -> corrupt_vault", () => {
    for (const at of [Math.floor(sealed.length / 2), sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at] ^= 0x01;
      throwsCode(() => Keyring.unseal(bad, PASSWORD), "corrupt_vault", `byte ${at} flipped`);
    }
  });

  test("truncated, empty or foreign bytes -> corrupt_vault", () => {
    throwsCode(() => Keyring.unseal(sealed.slice(0, sealed.length - 1), PASSWORD), "corrupt_vault", "last byte cut");
    throwsCode(() => Keyring.unseal(sealed.slice(0, 8), PASSWORD), "corrupt_vault", "8 bytes");
    throwsCode(() => Keyring.unseal(new Uint8Array(0), PASSWORD), "corrupt_vault", "empty");
    throwsCode(
      () => Keyring.unseal(new TextEncoder().encode("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"), PASSWORD),
      "corrupt_vault",
      "not a vault",
    );
  });
});

describe("sealWithKey / Keyring.unsealWithKey (a server's keyring, no Argon2)", () => {
  test("round trip; a wrong key, a password, or a string key is refused with a code", () => {
    const ring = new Keyring();
    ring.import(fixture("openpgp/alice.sec.asc"), { now, trusted: true });
    const key = crypto.getRandomValues(new Uint8Array(32));
    const sealed = ring.sealWithKey(key);
    assert.deepEqual([...sealed.subarray(0, 9)], [...Buffer.from("MSVAULT\x02\x02", "latin1")], "kdf 2: no Argon2");
    const back = Keyring.unsealWithKey(sealed, key);
    assert.deepEqual(back.list({ now }), ring.list({ now }));

    const other = crypto.getRandomValues(new Uint8Array(32));
    throwsCode(() => Keyring.unsealWithKey(sealed, other), "bad_password");
    throwsCode(() => Keyring.unseal(sealed, PASSWORD), "bad_password");
    throwsCode(() => Keyring.unsealWithKey(ring.seal(PASSWORD), key), "bad_password");
    throwsCode(() => ring.sealWithKey(Buffer.from(key).toString("base64")), "bad_input");
    throwsCode(() => ring.sealWithKey(key.subarray(0, 16)), "bad_input");
    const altered = sealed.slice();
    altered[altered.length >> 1] ^= 1;
    throwsCode(() => Keyring.unsealWithKey(altered, key), "corrupt_vault");
  });
});
