#!/usr/bin/env node
// Copies a few small fixture keys from tests/data/keys into www/demo-keys/ for `make demo`,
// and writes www/demo-keys/manifest.json, which the demo page reads.
//
// The keys are chosen from tests/data/keys/expected.json (the fixtures' manifest): imports
// that need no passphrase and whose file is small, one S/MIME and one OpenPGP key first,
// then one more of either kind. No dependencies; run from anywhere.
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const data = join(root, "tests", "data");
const out = join(root, "www", "demo-keys");
const quiet = process.argv.includes("--quiet");
const MAX_KEYS = 3;
const MAX_BYTES = 16 * 1024;

const manifestPath = join(data, "keys", "expected.json");
let expected;
try {
  expected = JSON.parse(readFileSync(manifestPath, "utf8"));
} catch (e) {
  console.error(`demo-keys: cannot read ${manifestPath}: ${e.message}`);
  process.exit(1);
}

const candidates = (expected.imports ?? []).filter((imp) => {
  if (imp.passphrase != null || !Array.isArray(imp.keys) || imp.keys.length === 0) return false;
  try {
    return statSync(join(data, imp.file)).size <= MAX_BYTES;
  } catch {
    return false;
  }
});

// Prefer keys that show something: e-mail addresses, and one secret key.
// Text formats (PEM, armored) first: they are the ones people paste.
const isText = (imp) => /\.(pem|asc)$/.test(imp.file);
const withEmails = candidates
  .filter((imp) => imp.keys.every((k) => k.emails.length > 0))
  .sort((a, b) => Number(isText(b)) - Number(isText(a)));
const picked = [];
const pick = (pred) => {
  const seen = new Set(picked.flatMap((p) => p.keys.map((k) => k.id)));
  const hit = withEmails.find((imp) => !imp.keys.some((k) => seen.has(k.id)) && pred(imp));
  if (hit && picked.length < MAX_KEYS) picked.push(hit);
};
pick((imp) => imp.keys[0].kind === "smime");
pick((imp) => imp.keys[0].kind === "pgp");
pick((imp) => imp.keys.some((k) => k.hasSecret));
pick(() => true);
for (const imp of candidates) {
  if (picked.length >= MAX_KEYS) break;
  if (!picked.includes(imp)) picked.push(imp);
}
if (picked.length === 0) {
  console.error("demo-keys: no small passphrase-free fixture in tests/data/keys/expected.json");
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = picked.map((imp) => {
  const name = basename(imp.file);
  copyFileSync(join(data, imp.file), join(out, name));
  return { file: name, trusted: Boolean(imp.trusted) };
});
writeFileSync(join(out, "manifest.json"), JSON.stringify({ now: expected.now, keys: manifest }, null, 2) + "\n");
if (!quiet) console.log(`demo-keys: ${manifest.map((k) => k.file).join(", ")} -> www/demo-keys/`);
