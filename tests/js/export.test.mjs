// exportPublic / exportSecret, and re-importing what they return.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring } from "mailseal";
import { fixture, goodImports, importOpts, loadExpected, throwsCode, missingFixture } from "./helpers.mjs";

const expected = loadExpected();
const now = new Date(expected.now);
const NEW_PASSPHRASE = "export passphrase 123";

// Every key of every importable fixture, with the ring it came from (imported once).
let cache;
function everyKey() {
  if (cache) return cache;
  const out = (cache = []);
  for (const entry of goodImports(expected)) {
    const ring = new Keyring();
    ring.import(fixture(entry.file), importOpts(entry, now));
    for (const want of entry.keys) out.push({ entry, ring, want });
  }
  return out;
}

describe("exportPublic", () => {
  for (const { entry, ring, want } of everyKey()) {
    test(`${entry.file} ${want.id}`, () => {
      const text = ring.exportPublic(want.id);
      assert.equal(typeof text, "string");
      if (want.kind === "pgp") {
        assert.match(text, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/m);
        assert.doesNotMatch(text, /PRIVATE KEY/);
      } else {
        assert.match(text, /^-----BEGIN CERTIFICATE-----/m);
        assert.doesNotMatch(text, /PRIVATE KEY/);
      }
      const back = new Keyring().import(text, { now });
      const got = back.find((k) => k.id === want.id);
      assert.ok(got, `re-import of the exported public key lacks ${want.id}`);
      assert.equal(got.kind, want.kind);
      assert.equal(got.hasSecret, false, "a public export must not carry the secret");
      assert.deepEqual(got.emails.map((e) => e.toLowerCase()).sort(), [...want.emails].sort());
    });
  }

  test("unknown id -> key_not_found", () => {
    throwsCode(() => new Keyring().exportPublic("DEADBEEF"), "key_not_found", "exportPublic");
  });
});

describe("exportSecret", () => {
  const withSecret = everyKey().filter(({ want }) => want.hasSecret);

  for (const { entry, ring, want } of withSecret) {
    test(`${entry.file} ${want.id}`, () => {
      const bytes = ring.exportSecret(want.id, NEW_PASSPHRASE);
      assert.ok(bytes instanceof Uint8Array && bytes.length > 0, "exportSecret returns bytes");

      const back = new Keyring();
      const infos = back.import(bytes, { passphrase: NEW_PASSPHRASE, now });
      const got = infos.find((k) => k.id === want.id);
      assert.ok(got, `re-import lacks ${want.id}`);
      assert.equal(got.hasSecret, true);
      assert.equal(got.kind, want.kind);
      assert.equal(got.canSign, want.canSign);

      throwsCode(
        () => new Keyring().import(bytes, { passphrase: "not the passphrase", now }),
        "bad_passphrase",
        "re-import with the wrong passphrase",
      );
    });
  }

  test("key without a secret -> no_private_key", (t) => {
    const pub = everyKey().find(({ want }) => !want.hasSecret);
    if (!pub) return missingFixture(t, "no public-only fixture");
    throwsCode(() => pub.ring.exportSecret(pub.want.id, NEW_PASSPHRASE), "no_private_key", "exportSecret");
  });

  test("unknown id -> key_not_found", () => {
    throwsCode(() => new Keyring().exportSecret("DEADBEEF", NEW_PASSPHRASE), "key_not_found", "exportSecret");
  });
});
