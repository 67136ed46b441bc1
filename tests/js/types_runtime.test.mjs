// Drift between the published .d.ts (generated from the Rust types by tsify) and what the package
// really returns. Real results of import / list / protect / open / capabilities / check /
// recentLog and real thrown error codes are written out as TypeScript literals and assigned to
// the declared types; the TypeScript compiler then checks them field by field:
//   - a field the runtime has but the .d.ts does not declare: excess property error;
//   - a required field the runtime lacks, a wrong primitive, a string outside its union: error;
//   - a field the runtime sets to `undefined` that the .d.ts declares as `x?: T`: error, thanks
//     to exactOptionalPropertyTypes (serde-wasm-bindgen writes `undefined` for a None field
//     without skip_serializing_if, which is `x: T | undefined`, not an absent `x?`);
//   - a Map where a plain object is declared (or null where undefined is): error.
// A control file with deliberately drifted copies proves the check is not vacuous.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import ts from "typescript";
import { Keyring, open, protect } from "mailseal";
import { DATA, PKG } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const read = (file) => new Uint8Array(readFileSync(join(DATA, file)));
const text = (file) => readFileSync(join(DATA, file), "utf8");

/** A JavaScript value as a TypeScript expression with the same shape. */
function literal(value, path = "value") {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "object":
      break;
    default:
      throw new Error(`${path}: ${typeof value} cannot come out of serde-wasm-bindgen`);
  }
  if (value instanceof Uint8Array) return "new Uint8Array(0)";
  if (value instanceof Map) return "new Map<string, unknown>()";
  if (Array.isArray(value)) return `[${value.map((v, i) => literal(v, `${path}[${i}]`)).join(", ")}]`;
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${path}: not a plain object`);
  const fields = Object.keys(value).map((k) => `${JSON.stringify(k)}: ${literal(value[k], `${path}.${k}`)}`);
  return `{ ${fields.join(", ")} }`;
}

/** Type-checks files (name → source) against pkg/mailseal.d.ts; diagnostics per file. */
function typecheck(dir, files) {
  const paths = Object.keys(files).map((name) => {
    const p = join(dir, name);
    writeFileSync(p, files[name]);
    return p;
  });
  const program = ts.createProgram(paths, {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts", "lib.dom.d.ts"],
    types: [],
    paths: { mailseal: [join(PKG, "mailseal.d.ts")] },
  });
  const byFile = Object.fromEntries(Object.keys(files).map((n) => [n, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file) throw new Error(`tsc: ${message}`);
    const name = Object.keys(files).find((n) => d.file.fileName === join(dir, n).replaceAll("\\", "/"));
    if (!name) throw new Error(`tsc, in ${d.file.fileName}: ${message}`);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    byFile[name].push({ line: line + 1, message });
  }
  return byFile;
}

/** Real results of every call whose result type the .d.ts declares, with that type. */
async function samples() {
  const out = [];
  const add = (name, type, value) => out.push({ name, type, value });

  // Keys of both standards, with and without secrets, trusted CA, expired, revoked.
  const desk = new Keyring();
  add("importedRootCa", "KeyInfo[]", desk.import(read("smime/root-ca.crt"), { trusted: true, now }));
  desk.import(read("smime/int-ca.crt"), { now });
  add("importedSmimeSecret", "KeyInfo[]", desk.import(text("smime/alice.crt") + text("smime/alice.key"), { now }));
  desk.import(read("smime/bob.crt"), { now });
  add("importedPgpSecret", "KeyInfo[]", desk.import(read("openpgp/alice.sec.asc"), { now }));
  desk.import(read("openpgp/bob.pub.asc"), { now });
  add("importedP12", "KeyInfo[]", desk.import(read("keys/alice.p12"), { passphrase: "alice-pass", now }));
  add("importedExpired", "KeyInfo[]", desk.import(read("keys/frank-expired.crt.pem"), { now }));
  add("importedRevoked", "KeyInfo[]", desk.import(read("keys/pgp-revoked.pub.asc"), { now }));
  add("list", "KeyInfo[]", desk.list({ now }));
  add("getOne", "KeyInfo | undefined", desk.get(desk.list({ now })[0].id, { now }));

  // protect: both standards, a plain copy and a problem report.
  const draft = {
    from: "alice@example.com", to: ["bob@example.com"], subject: "Types", text: "Checked.\n",
    attachments: [{ filename: "a.txt", contentType: "text/plain", data: "attached\n" }],
  };
  const smime = await protect(desk, draft, { sign: true, encrypt: true, method: "smime", now });
  add("protectedSmime", "Protected", smime);
  const pgp = await protect(desk, { ...draft, from: "alice@example.org", to: ["bob@example.org"] },
    { sign: true, encrypt: true, method: "pgp", now });
  add("protectedPgp", "Protected", pgp);
  const policy = { fallback: "problem_report", methodPriority: ["smime"], groups: { support: { sign: true, encrypt: true } } };
  add("protectedProblemReport", "Protected", await protect(desk, { ...draft, to: ["bob@example.com", "nokey@example.net"] },
    { sign: true, encrypt: true, policy, now }));
  add("protectedPlain", "Protected", await protect(desk, draft, { sign: false, encrypt: false, now }));

  // open: decrypted + valid for both, a plain message, no key, tampered, unknown signer.
  const bob = new Keyring();
  bob.import(read("smime/root-ca.crt"), { trusted: true, now });
  bob.import(read("smime/int-ca.crt"), { now });
  bob.import(text("smime/bob.crt") + text("smime/bob.key"), { now });
  bob.import(read("openpgp/bob.sec.asc"), { now });
  bob.import(read("openpgp/alice.pub.asc"), { trusted: true, now });
  add("openedSmime", "Opened", await open(bob, smime.deliveries[0].mime, { now }));
  add("openedPgp", "Opened", await open(bob, pgp.deliveries[0].mime, { now }));
  // One base64 character of the OpenPGP ciphertext changed: the MDC check fails.
  const armored = new TextDecoder().decode(pgp.deliveries[0].mime);
  const body = armored.indexOf("\r\n\r\n", armored.indexOf("-----BEGIN PGP MESSAGE-----"));
  const at = Math.floor((body + armored.indexOf("-----END PGP MESSAGE-----")) / 2);
  const tampered = new TextEncoder().encode(armored.slice(0, at) + (armored[at] === "A" ? "B" : "A") + armored.slice(at + 1));
  add("openedTampered", "Opened", await open(bob, tampered, { now }));
  add("openedNoKey", "Opened", await open(new Keyring(), pgp.deliveries[0].mime, { now }));
  add("openedPlain", "Opened", await open(bob, "From: a@example.com\r\nTo: b@example.com\r\n\r\nhello\r\n", { now }));
  add("openedSignedFixture", "Opened", await open(new Keyring(), read("smime/signed-alice.eml"), { now }));
  add("openedMimeSample", "Opened", await open(bob, read("mime/nested-signed-in-list-footer.eml"), { now }));

  // The composer and the admin.
  add("capabilities", "Capabilities", desk.capabilities({ from: "alice@example.com", to: ["bob@example.com", "nokey@example.net"] }, { now }));
  add("capabilitiesEmpty", "Capabilities", desk.capabilities({ from: "" }, { policy, now }));
  add("readiness", "Readiness", desk.check({ addresses: ["alice@example.com", "alice@example.org", "nobody@example.com"] }, { now }));
  add("recentLog", "AuditEvent[]", desk.recentLog());
  add("recentLogBob", "AuditEvent[]", bob.recentLog());

  // Thrown codes are ErrorCode values.
  const codes = [];
  for (const fn of [() => desk.import("junk", { now }), () => desk.import(read("keys/alice.p12"), { passphrase: "wrong", now }),
    () => protect(desk, { ...draft, to: ["nokey@example.net"] }, { sign: false, encrypt: true, now }), () => open(desk, 42)]) {
    try {
      await fn();
      codes.push("nothing thrown");
    } catch (e) {
      codes.push(e.code);
    }
  }
  add("errorCodes", "ErrorCode[]", codes);
  desk.free();
  bob.free();
  return out;
}

const source = (list) =>
  `import type { AuditEvent, Capabilities, ErrorCode, KeyInfo, Opened, Protected, Readiness } from "mailseal";\n` +
  list.map(({ name, type, value }) => `export const ${name}: ${type} = ${literal(value, name)};`).join("\n") + "\n";

describe("the generated .d.ts matches what the package returns", () => {
  let all;
  let drifted;
  let checked;
  before(async () => {
    all = await samples();
    const opened = all.find((s) => s.name === "openedSmime").value;
    const info = all.find((s) => s.name === "importedSmimeSecret").value[0];
    const caps = all.find((s) => s.name === "capabilities").value;
    drifted = [
      { name: "extraField", type: "Opened", value: { ...opened, headers: { ...opened.headers, bogus: true } } },
      { name: "unknownState", type: "Opened", value: { ...opened, encryption: { ...opened.encryption, state: "decrypted_maybe" } } },
      { name: "missingField", type: "Opened", value: (({ quoteForReply, ...rest }) => rest)(opened) },
      { name: "undefinedForAbsent", type: "Opened", value: { ...opened, html: undefined } },
      { name: "wrongPrimitive", type: "KeyInfo[]", value: [{ ...info, canSign: "yes" }] },
      { name: "mapForArray", type: "Capabilities", value: { ...caps, methods: new Map() } },
      { name: "nullForUndefined", type: "Opened", value: { ...opened, headers: { ...opened.headers, subject: null } } },
      { name: "unknownCode", type: "ErrorCode[]", value: ["bad_input", "no_such_code"] },
    ];
    const dir = mkdtempSync(join(tmpdir(), "mailseal-types-"));
    try {
      const files = { "runtime.ts": source(all), "drifted.ts": source(drifted) };
      checked = { files, diagnostics: typecheck(dir, files) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the samples are the real outcomes (so every branch of the types is exercised)", () => {
    const get = (name) => all.find((s) => s.name === name).value;
    for (const name of ["openedSmime", "openedPgp"]) {
      assert.equal(get(name).encryption.state, "decrypted", name);
      assert.equal(get(name).signature.state, "valid", name);
    }
    assert.equal(get("openedTampered").encryption.state, "failed");
    assert.equal(get("openedNoKey").encryption.state, "no_key");
    assert.equal(get("openedPlain").encryption.state, "none");
    assert.ok(get("protectedProblemReport").deliveries.some((d) => d.problemReport && d.method === "none"));
    assert.ok(get("importedRevoked").some((k) => k.status === "revoked"));
    assert.ok(get("importedExpired").some((k) => k.status === "expired"));
    assert.ok(get("readiness").trustAnchors.length > 0);
    assert.ok(!get("errorCodes").includes("nothing thrown"), get("errorCodes").join());
  });

  test("every real result type-checks against its declared type (strict, exactOptionalPropertyTypes)", () => {
    const lines = checked.files["runtime.ts"].split("\n");
    assert.deepEqual(
      checked.diagnostics["runtime.ts"].map((d) => `${lines[d.line - 1].slice(0, 60)}…: ${d.message}`),
      [],
      "runtime values that the .d.ts does not describe",
    );
  });

  test("control: drifted copies of real results are rejected", () => {
    const lines = checked.files["drifted.ts"].split("\n");
    for (const { name } of drifted) {
      const line = lines.findIndex((l) => l.startsWith(`export const ${name}:`)) + 1;
      assert.ok(checked.diagnostics["drifted.ts"].some((d) => d.line === line), `${name}: tsc accepted a drifted value`);
    }
  });
});
