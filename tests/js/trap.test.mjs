// No trap ever reaches the user (issue 13). A WebAssembly trap is a bug, but if one happens the
// call that trapped fails with a coded error that says the module was restarted, and the next
// call works, on the keyring as it was (pkg/recover.mjs, scripts/recoverable-glue.mjs). Before,
// a trap while a keyring was borrowed left it failing every call ("recursive use of an
// object"), and one inside a Promise hung every later Promise and ended Node with an unhandled
// rejection. Traps are forced with the package's test hook `__forceTrapForTests`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Keyring, __forceTrapForTests, isMailsealError, open, protect, usePlatformCrypto } from "mailseal";
import { DATA, rejectsCode } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (p) => readFileSync(join(DATA, p));

function desk() {
  const ring = new Keyring();
  ring.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
  ring.import(read("openpgp/alice.pub.asc"), { now, trusted: true });
  return ring;
}

/** The error of a forced trap: coded, and saying the module was restarted. */
function assertRestarted(e, what) {
  assert.ok(isMailsealError(e), `${what}: ${e}`);
  assert.equal(e.code, "internal", what);
  assert.equal(e.restarted, true, what);
  assert.match(e.message, /restarted/, what);
}

/** Alice's signed and encrypted message to Bob, then what Bob's desk makes of it. */
async function roundTrip(ring) {
  const alice = new Keyring();
  alice.import(read("openpgp/alice.sec.asc"), { now, trusted: true });
  alice.import(read("openpgp/bob.pub.asc"), { now, trusted: true });
  const draft = { from: "alice@example.org", to: ["bob@example.org"], subject: "after a trap", text: "still here\n" };
  const out = await protect(alice, draft, { sign: true, encrypt: true, method: "pgp", now });
  return open(ring, out.deliveries[0].mime, { now });
}

describe("a trap is reported and the next call works", () => {
  test("a trap while a keyring is borrowed: coded error, then the same keyring works", async () => {
    const ring = desk();
    const before = ring.list({ now });
    assert.throws(() => ring.__forceTrapForTests(), (e) => (assertRestarted(e, "the trap"), true));
    assert.deepEqual(ring.list({ now }), before, "the keys are back");
    ring.import(read("openpgp/carol.pub.asc"), { now });
    assert.equal(ring.list({ now }).length, before.length + 1, "and it changes again");
    const o = await roundTrip(ring);
    assert.equal(o.encryption.state, "decrypted");
    assert.equal(o.signature.state, "valid");
  });

  test("a trap inside a Promise rejects it, and Promises keep working", async () => {
    const ring = desk();
    const pending = roundTrip(ring); // owed by the instance that is about to trap
    await rejectsCode(() => __forceTrapForTests(true), "internal", "the trapping Promise");
    // stopped by the trap (rejected, saying so), or done before it (and then done right)
    const settled = await pending.then((o) => ({ o }), (e) => ({ e }));
    if (settled.e) assertRestarted(settled.e, "a Promise in flight");
    else assert.equal(settled.o.encryption.state, "decrypted");
    const o = await roundTrip(ring);
    assert.equal(o.signature.state, "valid", "after the restart");
  });

  test("a synchronous trap outside any keyring, then every keyring and setting as it was", async () => {
    const a = desk();
    const b = new Keyring();
    b.import(read("openpgp/carol.pub.asc"), { now });
    usePlatformCrypto(false);
    try {
      assert.throws(() => __forceTrapForTests(false), (e) => (assertRestarted(e, "the trap"), true));
      assert.equal(b.list({ now }).length, 1);
      assert.equal((await roundTrip(a)).signature.state, "valid");
      // an unsealed keyring and a removal survive a trap too
      const sealed = Keyring.unsealWithKey(a.sealWithKey(new Uint8Array(32).fill(5)), new Uint8Array(32).fill(5));
      const carol = b.list({ now })[0].id;
      assert.ok(b.remove(carol));
      assert.throws(() => __forceTrapForTests(false));
      assert.equal(b.list({ now }).length, 0, "the removal holds");
      assert.deepEqual(sealed.list({ now }), a.list({ now }));
    } finally {
      usePlatformCrypto(true);
    }
  });
});

test("the web build (browsers, Workers) recovers the same way", async () => {
  // the browser glue keeps its instance differently from Node's: its restart path, in Node
  const web = await import(join(import.meta.dirname, "..", "..", "pkg", "web.mjs"));
  await web.default({ module_or_path: readFileSync(join(import.meta.dirname, "..", "..", "pkg", "dist", "web", "mailseal_bg.wasm")) });
  const ring = new web.Keyring();
  ring.import(read("openpgp/bob.sec.asc"), { now, trusted: true });
  assert.throws(() => ring.__forceTrapForTests(), (e) => (assertRestarted(e, "web: the trap"), true));
  assert.equal(ring.list({ now }).length, 1, "web: the keyring is back");
  await rejectsCode(() => web.__forceTrapForTests(true), "internal", "web: a trapping Promise");
  const alice = new web.Keyring();
  alice.import(read("openpgp/alice.sec.asc"), { now, trusted: true });
  alice.import(read("openpgp/bob.pub.asc"), { now, trusted: true });
  const draft = { from: "alice@example.org", to: ["bob@example.org"], subject: "web", text: "hi\n" };
  const out = await web.protect(alice, draft, { sign: false, encrypt: true, method: "pgp", now });
  assert.equal((await web.open(ring, out.deliveries[0].mime, { now })).encryption.state, "decrypted");
});

test("no random numbers from the platform (a Worker's top level): random_unavailable, not a trap", async () => {
  // Cloudflare Workers refuse crypto.getRandomValues at a module's top level. getrandom's
  // failure made OsRng panic, which trapped the module ("internal", restarted); now every
  // entry point that needs randomness asks first and fails with its own code.
  const alice = new Keyring();
  alice.import(read("openpgp/alice.sec.asc"), { now, trusted: true });
  alice.import(read("openpgp/bob.pub.asc"), { now, trusted: true });
  const draft = { from: "alice@example.org", to: ["bob@example.org"], subject: "top level", text: "hi\n" };
  const notRestarted = (what) => (e) => {
    assert.ok(isMailsealError(e), `${what}: ${e}`);
    assert.equal(e.code, "random_unavailable", what);
    assert.equal(e.restarted, undefined, `${what}: no trap`);
    assert.match(e.message, /random numbers/, what);
    return true;
  };
  const real = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = () => {
    throw new Error("Disallowed operation called within global scope.");
  };
  try {
    await assert.rejects(protect(alice, draft, { sign: true, encrypt: true, method: "pgp", now }), notRestarted("protect"));
    assert.throws(() => alice.sealWithKey(new Uint8Array(32).fill(1)), notRestarted("sealWithKey"));
    assert.throws(() => alice.generateOpenPgp({ address: "n@example.org", name: "N" }), notRestarted("generateOpenPgp"));
  } finally {
    globalThis.crypto.getRandomValues = real;
  }
  const out = await protect(alice, draft, { sign: true, encrypt: true, method: "pgp", now });
  const bob = desk();
  const o = await open(bob, out.deliveries[0].mime, { now });
  assert.equal(o.encryption.state, "decrypted");
  assert.equal(o.signature.state, "valid");
});
