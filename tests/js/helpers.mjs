// Shared helpers for the JS suites. Everything here reads the fixtures under tests/data and the
// BUILT package; nothing imports from src/ or from pkg/dist directly.
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Keyring } from "mailseal";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATA = join(ROOT, "tests", "data");
export const PKG = join(ROOT, "pkg");

export const ERROR_CODES = new Set([
  "bad_input",
  "unsupported_format",
  "bad_passphrase",
  "bad_password",
  "corrupt_vault",
  "key_not_found",
  "certificate_missing",
  "no_private_key",
  "recipient_key_missing",
  "sender_key_missing",
  "malformed_message",
  "decryption_failed",
  "unsupported_algorithm",
  "too_large",
  "internal",
  "standard_not_enabled",
  "downgrade_not_confirmed",
  "admin_required",
  "team_refused",
  "team_rolled_back",
  "not_a_member",
  "random_unavailable",
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The fixtures manifest, tests/data/keys/expected.json. */
export function loadExpected() {
  const path = join(DATA, "keys", "expected.json");
  const expected = JSON.parse(readFileSync(path, "utf8"));
  assert.ok(Array.isArray(expected.imports), "expected.json: imports[] missing");
  assert.ok(Array.isArray(expected.failures), "expected.json: failures[] missing");
  assert.ok(!Number.isNaN(Date.parse(expected.now)), "expected.json: now is not a date");
  return expected;
}

/** A fixture's bytes as a plain Uint8Array (not a Buffer). */
export function fixture(file) {
  return new Uint8Array(readFileSync(join(DATA, file)));
}

/** Options for ring.import from a manifest entry. */
export function importOpts(entry, now) {
  const opts = { trusted: Boolean(entry.trusted), now };
  if (entry.passphrase != null) opts.passphrase = entry.passphrase;
  return opts;
}

/** Runs fn, which must throw a mailseal error with the given code; returns the error. */
export function throwsCode(fn, code, what = "") {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `${what}: expected an error with code ${code}, nothing was thrown`);
  assertMailsealError(err, what);
  assert.equal(err.code, code, `${what}: error code (message: ${err.message})`);
  return err;
}

/** Every error mailseal throws is an Error with a known string code and a message. */
export function assertMailsealError(err, what = "") {
  assert.ok(err instanceof Error, `${what}: thrown value is not an Error: ${String(err)}`);
  assert.equal(typeof err.code, "string", `${what}: error.code is not a string (${err})`);
  assert.ok(ERROR_CODES.has(err.code), `${what}: unknown error code ${err.code}`);
  assert.equal(typeof err.message, "string", `${what}: error.message is not a string`);
  assert.ok(err.message.length > 0, `${what}: error.message is empty`);
}

/** Checks the shape of one KeyInfo as the contract defines it. */
export function assertKeyInfoShape(k, what = "") {
  assert.equal(typeof k, "object", `${what}: KeyInfo is not an object`);
  assert.match(k.id, /^[0-9A-F]+$/, `${what}: id is not uppercase hex`);
  assert.ok(["smime", "pgp"].includes(k.kind), `${what}: kind ${k.kind}`);
  assert.ok(Array.isArray(k.emails), `${what}: emails is not an array`);
  for (const e of k.emails) assert.equal(typeof e, "string", `${what}: email not a string`);
  for (const f of ["hasSecret", "canSign", "canEncrypt", "trusted"]) {
    assert.equal(typeof k[f], "boolean", `${what}: ${f} is not a boolean`);
  }
  assert.match(k.created, RFC3339, `${what}: created is not RFC 3339`);
  if (k.expires !== undefined) assert.match(k.expires, RFC3339, `${what}: expires is not RFC 3339`);
  assert.ok(
    ["valid", "expired", "revoked", "not_yet_valid"].includes(k.status),
    `${what}: status ${k.status}`,
  );
  assert.equal(typeof k.algorithm, "string", `${what}: algorithm is not a string`);
  for (const f of ["subject", "issuer"]) {
    if (k[f] !== undefined) assert.equal(typeof k[f], "string", `${what}: ${f} is not a string`);
  }
}

/** Lowercased, sorted copy of a list of addresses. */
export function sortedEmails(emails) {
  return emails.map((e) => e.toLowerCase()).sort();
}

/** The manifest entries that import without error, each with its keys. */
export function goodImports(expected) {
  return expected.imports.filter((i) => Array.isArray(i.keys) && i.keys.length > 0);
}

/**
 * Calls fn, which must return a Promise (the async API never throws synchronously) that
 * rejects with a mailseal error of the given code; returns the error.
 */
export async function rejectsCode(fn, code, what = "") {
  let result;
  try {
    result = fn();
  } catch (e) {
    assert.fail(`${what}: threw synchronously (${e?.code ?? e}); the async API must reject instead`);
  }
  assert.ok(result instanceof Promise, `${what}: expected a Promise`);
  let err;
  try {
    await result;
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `${what}: expected a rejection with code ${code}, it resolved`);
  assertMailsealError(err, what);
  assert.equal(err.code, code, `${what}: error code (message: ${err.message})`);
  return err;
}

/** Running under CI: a test that cannot run there must fail, not skip. */
export const underCi = () => !["", "0", "false", undefined].includes(process.env.CI);

/** A fixture kind the test needs is missing: skips `t`, but fails it under CI. */
export function missingFixture(t, why) {
  if (underCi()) throw new Error(`missing fixture under CI: ${why}`);
  t.skip(why);
}

/** Whether `tool` runs here; skips the test `t` when not, but fails it under CI. */
export function have(tool, t) {
  const r = spawnSync(tool, [tool === "openssl" ? "version" : "--version"], { stdio: "ignore" });
  if (r.status === 0) return true;
  if (underCi()) throw new Error(`${tool} is required under CI (CI=${process.env.CI})`);
  t.skip(`${tool} not installed`);
  return false;
}

/**
 * A keyring with the OpenPGP fixtures `files` (tests/data/openpgp), each imported as verified
 * by the admin (trusted): only such keys make a signature valid.
 */
export function trustedPgpRing(now, ...files) {
  const ring = new Keyring();
  for (const f of files) ring.import(readFileSync(join(DATA, "openpgp", f)), { now, trusted: true });
  return ring;
}
