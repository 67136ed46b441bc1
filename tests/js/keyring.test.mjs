// Keyring.import / list / get / remove against every fixture in tests/data/keys/expected.json.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import init, { Keyring, initSync, version } from "mailseal";
import {
  assertKeyInfoShape,
  fixture,
  importOpts,
  loadExpected,
  sortedEmails,
  throwsCode,
  missingFixture,
} from "./helpers.mjs";

const expected = loadExpected();
const now = new Date(expected.now);

describe("module", () => {
  test("is ready on import in Node; init() and initSync() are harmless no-ops", async () => {
    const ring = new Keyring();
    assert.deepEqual(ring.list(), []);
    await init();
    initSync();
    assert.deepEqual(new Keyring().list(), []);
  });

  test("version() is the package version", async () => {
    const { default: pkg } = await import("mailseal/package.json", { with: { type: "json" } });
    const v = typeof version === "function" ? version() : version;
    assert.equal(v, pkg.version);
  });
});

describe("import every fixture", () => {
  assert.ok(expected.imports.length > 0, "expected.json lists no imports");
  for (const entry of expected.imports) {
    test(entry.file, () => {
      const ring = new Keyring();
      const infos = ring.import(fixture(entry.file), importOpts(entry, now));
      assert.ok(Array.isArray(infos), "import must return an array");
      const byId = new Map(infos.map((k) => [k.id, k]));
      assert.equal(byId.size, infos.length, "import returned duplicate ids");
      for (const want of entry.keys) {
        const got = byId.get(want.id);
        assert.ok(got, `key ${want.id} not among imported ${[...byId.keys()].join(", ")}`);
        assertKeyInfoShape(got, want.id);
        assert.equal(got.kind, want.kind, `${want.id}: kind`);
        assert.deepEqual(sortedEmails(got.emails), sortedEmails(want.emails), `${want.id}: emails`);
        for (const f of ["hasSecret", "canSign", "canEncrypt", "status", "algorithm"]) {
          assert.equal(got[f], want[f], `${want.id}: ${f}`);
        }
        assert.equal(got.trusted, Boolean(entry.trusted), `${want.id}: trusted`);
      }
      assert.equal(infos.length, entry.keys.length, "number of keys imported");

      // list() and get() report the same as import() did, at the same time.
      const listed = ring.list({ now });
      assert.deepEqual(
        listed.map((k) => k.id).sort(),
        [...byId.keys()].sort(),
        "list() after import",
      );
      for (const k of listed) {
        assert.deepEqual(k, byId.get(k.id), `list() entry ${k.id}`);
        assert.deepEqual(ring.get(k.id, { now }), k, `get(${k.id})`);
      }
    });
  }
});

describe("import failures", () => {
  for (const entry of expected.failures) {
    test(`${entry.file} -> ${entry.code}`, () => {
      const ring = new Keyring();
      const opts = importOpts(entry, now);
      const err = throwsCode(() => ring.import(fixture(entry.file), opts), entry.code, entry.file);
      // Only a distinctive passphrase can be looked for ("wrong" may well be in the message).
      if (entry.passphrase && entry.passphrase.length >= 8) {
        assert.ok(!err.message.includes(entry.passphrase), "error message echoes the passphrase");
      }
      assert.deepEqual(ring.list(), [], "a failed import must leave the keyring unchanged");
    });
  }
});

describe("input forms", () => {
  const textual = expected.imports.find(
    (e) => e.keys.length > 0 && /-----BEGIN /.test(Buffer.from(fixture(e.file)).toString("latin1")),
  );

  test("a string, an ArrayBuffer and a Uint8Array import the same keys", (t) => {
    if (!textual) return missingFixture(t, "no armored/PEM fixture in expected.json");
    const bytes = fixture(textual.file);
    const opts = importOpts(textual, now);
    const fromBytes = new Keyring().import(bytes, opts);
    const fromBuffer = new Keyring().import(bytes.slice().buffer, opts);
    const fromString = new Keyring().import(new TextDecoder().decode(bytes), opts);
    assert.deepEqual(fromBuffer, fromBytes);
    assert.deepEqual(fromString, fromBytes);
  });
});

describe("get / remove / list", () => {
  const entries = expected.imports.filter((e) => e.keys.length > 0).slice(0, 3);

  test("all fixtures in one keyring; get, remove", (t) => {
    if (entries.length === 0) return missingFixture(t, "no importable fixture");
    const ring = new Keyring();
    const ids = new Set();
    for (const e of entries) for (const k of ring.import(fixture(e.file), importOpts(e, now))) ids.add(k.id);
    assert.deepEqual(ring.list({ now }).map((k) => k.id).sort(), [...ids].sort());

    assert.equal(ring.get("00"), undefined, "get(unknown id) is undefined");
    const [first] = ids;
    assert.equal(ring.remove(first), true, "remove(existing) is true");
    assert.equal(ring.remove(first), false, "remove(again) is false");
    assert.equal(ring.get(first), undefined, "get(removed) is undefined");
    assert.equal(ring.list().length, ids.size - 1);
  });

  test("importing the same file twice does not duplicate keys", (t) => {
    if (entries.length === 0) return missingFixture(t, "no importable fixture");
    const ring = new Keyring();
    const e = entries[0];
    ring.import(fixture(e.file), importOpts(e, now));
    const n = ring.list().length;
    ring.import(fixture(e.file), importOpts(e, now));
    assert.equal(ring.list().length, n);
  });

  test("status depends on `now`", (t) => {
    const dated = expected.imports
      .flatMap((e) => e.keys.map((k) => ({ e, k })))
      .find(({ k }) => k.status === "valid");
    if (!dated) return missingFixture(t, "no valid key in expected.json");
    const ring = new Keyring();
    ring.import(fixture(dated.e.file), importOpts(dated.e, now));
    const info = ring.get(dated.k.id, { now });
    assert.equal(info.status, "valid");
    const before = new Date(Date.parse(info.created) - 24 * 3600 * 1000);
    assert.equal(ring.get(dated.k.id, { now: before }).status, "not_yet_valid");
    if (info.expires) {
      const after = new Date(Date.parse(info.expires) + 24 * 3600 * 1000);
      assert.equal(ring.get(dated.k.id, { now: after }).status, "expired");
    }
  });
});
