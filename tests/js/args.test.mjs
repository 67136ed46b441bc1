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

// Option objects that cannot be read (a getter that throws, a Proxy, a revoked Proxy): the
// call fails with bad_input and the keyring keeps working. Read inside the module, the
// exception unwound past the code that releases the keyring, and every later call on it failed
// with "recursive use of an object detected" (found by the API sweep).
describe("unreadable option objects -> bad_input, the keyring still works", () => {
  const throwing = () => ({
    get address() {
      throw new Error("form field not filled in");
    },
  });
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({ address: "x@example.com" }, {});
    revoke();
    return proxy;
  };
  const calls = [
    ["generateOpenPgp", (r, o) => r.generateOpenPgp(o)],
    ["generateSmime", (r, o) => r.generateSmime(o)],
    ["setPolicy", (r, o) => r.setPolicy(o)],
    ["importFound", (r, o) => r.importFound("a@example.com", o, new Uint8Array(1))],
    ["learnAutocrypt", (r, o) => r.learnAutocrypt(o)],
    ["importRevocation", (r, o) => r.importRevocation(o, new Uint8Array(1))],
  ];
  for (const [name, call] of calls) {
    for (const [kind, make] of [["a getter that throws", throwing], ["a revoked Proxy", revoked]]) {
      test(`${name}(${kind})`, async () => {
        const ring = new Keyring();
        ring.import(fixture("openpgp/bob.sec.asc"));
        let err;
        try {
          await call(ring, make());
        } catch (e) {
          err = e;
        }
        assert.ok(err, `${name}: nothing thrown`);
        assertMailsealError(err, name);
        assert.equal(err.code, "bad_input", `${name}: ${err.message}`);
        // the keyring still answers, and a change still goes through
        assert.equal(ring.list().length, 1);
        ring.setPolicy({ fallback: "block" });
        ring.free();
      });
    }
  }

  test("a Proxy of a plain options object is read like the object", () => {
    const ring = new Keyring();
    ring.setPolicy(new Proxy({ fallback: "block" }, {}));
    ring.free();
  });
});

// Files larger than a message mailseal opens (64 MiB) are refused before they are copied into
// the module's memory: too_large, and the module keeps working (700 MiB ran it out of memory
// and restarted it, failing every other call in flight; found by the API sweep).
test("protect of a draft with files larger than 64 MiB -> too_large, nothing else fails", async () => {
  const { protect } = await import("mailseal");
  const ring = new Keyring();
  const draft = (bytes) => ({
    from: "a@example.com",
    to: ["b@example.com"],
    subject: "s",
    text: "t",
    attachments: [{ filename: "big.bin", contentType: "application/octet-stream", data: new Uint8Array(bytes) }],
  });
  let err;
  try {
    await protect(ring, draft(70 * 1024 * 1024), { sign: false, encrypt: false });
  } catch (e) {
    err = e;
  }
  assertMailsealError(err, "70 MiB draft");
  assert.equal(err.code, "too_large");
  assert.ok(!err.restarted, "refused, not a crash");
  const ok = await protect(ring, draft(1024), { sign: false, encrypt: false });
  assert.equal(ok.deliveries.length, 1);
  ring.free();
});

// A setting the policy does not have is refused (a typo left the default in force without a
// word; found by the API sweep); the policy as the keyring gives it back is taken as it is.
test("setPolicy with a misspelled setting -> bad_input naming it", () => {
  const ring = new Keyring();
  for (const typo of [{ minRSABits: 3072 }, { fallBack: "block" }, { weakhashes: "refuse" }]) {
    const name = Object.keys(typo)[0];
    const err = throwsCode(() => ring.setPolicy(typo), "bad_input", name);
    assert.match(err.message, new RegExp(`"${name}"`));
  }
  ring.setPolicy({ ...ring.policy(), fallback: "block", groups: { vip: { sign: true, encrypt: true } } });
  assert.equal(ring.policy().fallback, "block");
  ring.free();
});

// Wrong types to the free functions and calls with a freed keyring: MailsealErrors with
// bad_input, not glue TypeErrors ("arg.charCodeAt is not a function"; found by the API sweep).
test("free functions and freed keyrings -> bad_input", async () => {
  const m = await import("mailseal");
  for (const [what, call] of [
    ["normalizeAddress(42)", () => m.normalizeAddress(42)],
    ["parseAddress(undefined)", () => m.parseAddress(undefined)],
    ["headerLine(null, 'x')", () => m.headerLine(null, "x")],
    ["headerLine('Subject', {})", () => m.headerLine("Subject", {})],
  ]) {
    throwsCode(call, "bad_input", what);
  }
  assert.equal(m.headerLine("Subject", "hi"), "hi");
  const ring = new Keyring();
  ring.free();
  throwsCode(() => ring.list(), "bad_input", "list() on a freed keyring");
  for (const [what, call] of [
    ["open(freed, ...)", () => m.open(ring, "From: a@example.com\r\n\r\nhi\r\n")],
    ["protect({}, ...)", () => m.protect({}, { from: "a@example.com", to: ["b@example.com"] })],
  ]) {
    let err;
    try {
      await call();
    } catch (e) {
      err = e;
    }
    assertMailsealError(err, what);
    assert.equal(err.code, "bad_input", what);
  }
});
