// mailseal off the main thread in a browser: a page starts a dedicated module Web Worker that
// loads the package's browser entry (pkg/package.json exports["."].browser → web.mjs, dist/web),
// runs `await init()`, imports keys from the committed fixtures and does protect → open for
// S/MIME and OpenPGP (tests/browser/worker/). Headless Debian chromium through playwright-core,
// offline: only the local server answers. Needs the built package (make pkg).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const NOW = "2026-12-01T00:00:00Z";

const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));

describe("in a browser Web Worker", { timeout: 120_000 }, () => {
  let server;
  let base;
  let browser;
  const offsite = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh as root (installs chromium)`);
    assert.ok(existsSync(join(ROOT, "pkg", "dist", "web", "mailseal_bg.wasm")), "run make pkg first");
    ({ server, url: base } = await startServer({
      host: "127.0.0.1",
      port: 0,
      mounts: [
        ["/pkg/", join(ROOT, "pkg")],
        ["/data/", join(ROOT, "tests", "data")],
        ["/", join(ROOT, "tests", "browser", "worker")],
      ],
    }));
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test("a module worker initialises the browser build and round-trips S/MIME and OpenPGP", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "pkg", "package.json"), "utf8"));
    const entry = new URL(pkg.exports["."].browser, new URL("pkg/", base)).href;
    assert.equal(entry, `${base}pkg/web.mjs`);

    const context = await browser.newContext();
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base)) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const workers = [];
    page.on("worker", (w) => workers.push(w.url()));
    await page.goto(base);
    await page.waitForSelector("body[data-ready=true]");

    const reply = await page.evaluate(([entry, now]) => window.runInWorker(entry, now), [entry, NOW]);
    assert.equal(reply.ok, true, `the worker failed: ${reply.name} ${reply.code}: ${reply.message}`);
    assert.equal(reply.inWorker, true, "the work ran in a WorkerGlobalScope without a document");
    assert.deepEqual(workers, [`${base}seal-worker.mjs`]);
    assert.equal(await page.evaluate(() => "Keyring" in window), false, "the page itself never loaded mailseal");
    assert.match(reply.version, /^\d+\.\d+\.\d+/);

    for (const [method, signer] of [["smime", "alice@example.com"], ["pgp", "alice@example.org"]]) {
      const r = reply.results[method];
      assert.deepEqual(r.delivery, { method, signed: true, encrypted: true }, `${method}: delivery`);
      assert.equal(r.roundTrip.encryption, "decrypted", `${method}: round trip encryption`);
      assert.equal(r.roundTrip.signature, "valid", `${method}: round trip signature`);
      assert.deepEqual(r.roundTrip.signer, [signer], `${method}: signer`);
      assert.match(r.roundTrip.text, /Solved in a Web Worker\./, `${method}: text`);
      assert.equal(r.signedOnly.encryption, "none", `${method}: signed only`);
      assert.equal(r.signedOnly.signature, "valid", `${method}: signed only`);
      assert.equal(r.tamperedSigned.signature, "invalid", `${method}: a changed signed body`);
      // A changed ciphertext: the integrity check fails (OpenPGP MDC), or for S/MIME AES-CBC
      // (no integrity of its own) the signature inside no longer verifies. Never valid.
      const t = r.tamperedEncrypted;
      assert.ok(t.encryption === "failed" || (t.encryption === "decrypted" && t.signature === "invalid"),
        `${method}: tampered ciphertext gave ${t.encryption}/${t.signature}`);
      if (method === "pgp") assert.equal(t.encryption, "failed", "OpenPGP: the MDC check fails");
    }
    // WebCrypto takes the bulk in the browser; each path opens what the other wrote, and a
    // tampered message fails the same way on both.
    assert.equal(reply.provider, "webcrypto");
    assert.deepEqual(Object.keys(reply.platform), ["smime aes256-cbc", "smime aes128-cbc", "smime aes256-gcm", "smime aes128-gcm", "smime aes256-gcm rsa-oaep-sha256", "pgp aes256"]);
    for (const [label, r] of Object.entries(reply.platform)) {
      const cipher = r.cipher;
      for (const c of r.cross) {
        const how = `${label}: written ${c.writer ? "webcrypto" : "wasm"}, read ${c.reader ? "webcrypto" : "wasm"}`;
        assert.equal(c.encryption, "decrypted", how);
        assert.equal(c.algorithm, cipher, how);
        assert.equal(c.signature, "valid", how);
        assert.equal(c.same, true, `${how}: the 1 MiB attachment comes back unchanged`);
      }
      const { platform, wasm } = r.tampered;
      assert.notEqual(platform.signature, "valid", `${label}: tampered`);
      assert.deepEqual(platform, wasm, `${label}: a tampered copy fails the same way on both paths`);
    }
    // P-256 S/MIME (ECDSA, ECDH) made on WebCrypto and in wasm reads the same on both paths.
    assert.equal(reply.ec.length, 4);
    for (const c of reply.ec) {
      const how = `P-256 written ${c.writer ? "webcrypto" : "wasm"}, read ${c.reader ? "webcrypto" : "wasm"}`;
      assert.equal(c.good, "valid", how);
      assert.equal(c.bad, "invalid", `${how}: a changed body`);
      assert.equal(c.sealed, "decrypted/valid", `${how}: signed and encrypted`);
      assert.equal(c.text, "Signed with P-256.\n", how);
    }
    assert.deepEqual(errors, [], "errors on the page or in the worker");
    assert.deepEqual(offsite, [], "requests to another origin");
    await context.close();
  });
});
