// The wasm boundary checks its arguments: wrong types are a mailseal Error with code bad_input,
// never a TypeError from glue code, a bare string, or a wasm trap.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring } from "mailseal";
import { assertMailsealError, fixture, goodImports, importOpts, loadExpected, throwsCode, missingFixture } from "./helpers.mjs";

const expected = loadExpected();
const now = new Date(expected.now);
const WRONG = [
  ["a number", 42],
  ["a plain object", { bytes: [1, 2, 3] }],
  ["null", null],
  ["undefined", undefined],
  ["an array of numbers", [1, 2, 3]],
  ["a boolean", true],
];

describe("bad argument types -> bad_input", () => {
  for (const [name, value] of WRONG) {
    test(`import(${name})`, () => {
      const ring = new Keyring();
      throwsCode(() => ring.import(value), "bad_input", `import(${name})`);
      assert.deepEqual(ring.list(), []);
    });

    test(`Keyring.unseal(${name}, password)`, () => {
      throwsCode(() => Keyring.unseal(value, "pw"), "bad_input", `unseal(${name})`);
    });
  }

  for (const [name, value] of WRONG.filter(([n]) => n === "a number" || n === "a plain object")) {
    test(`seal(${name})`, () => {
      throwsCode(() => new Keyring().seal(value), "bad_input", `seal(${name})`);
    });

    test(`Keyring.unseal(bytes, ${name})`, () => {
      const sealed = new Keyring().seal("pw");
      throwsCode(() => Keyring.unseal(sealed, value), "bad_input", `unseal(bytes, ${name})`);
    });

    test(`import(data, { passphrase: ${name} })`, () => {
      const entry = goodImports(expected)[0];
      assert.ok(entry, "no importable fixture");
      throwsCode(
        () => new Keyring().import(fixture(entry.file), { passphrase: value }),
        "bad_input",
        `passphrase ${name}`,
      );
    });

    test(`exportSecret(id, ${name})`, (t) => {
      const entry = goodImports(expected).find((e) => e.keys.some((k) => k.hasSecret));
      if (!entry) return missingFixture(t, "no fixture with a secret key");
      const ring = new Keyring();
      ring.import(fixture(entry.file), importOpts(entry, now));
      const id = entry.keys.find((k) => k.hasSecret).id;
      throwsCode(() => ring.exportSecret(id, value), "bad_input", `exportSecret passphrase ${name}`);
    });
  }

  test("import(data, 42): options that are not an object", () => {
    const entry = goodImports(expected)[0];
    throwsCode(() => new Keyring().import(fixture(entry.file), 42), "bad_input", "opts = 42");
  });

  test("import(data, { now: 'yesterday' }): now that is not a Date", () => {
    const entry = goodImports(expected)[0];
    throwsCode(() => new Keyring().import(fixture(entry.file), { now: "yesterday" }), "bad_input", "now");
  });
});

describe("errors are Error instances with a string code and message", () => {
  test("garbage input -> unsupported_format", () => {
    const err = throwsCode(
      () => new Keyring().import(new TextEncoder().encode("hello, I am not a key\n")),
      "unsupported_format",
      "garbage",
    );
    assert.ok(err.stack === undefined || typeof err.stack === "string");
  });

  test("empty input is rejected with a mailseal error", () => {
    let err;
    try {
      new Keyring().import(new Uint8Array(0));
    } catch (e) {
      err = e;
    }
    assert.ok(err, "importing nothing must throw");
    assertMailsealError(err, "empty input");
    assert.ok(["bad_input", "unsupported_format"].includes(err.code), err.code);
  });
});
