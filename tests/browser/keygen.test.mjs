// The admin view's "Make a key" (issue 16, www/generate.mjs) in headless Debian chromium, offline:
// an OpenPGP key made in the page is listed with its private key, its downloaded public key
// imports into gpg and its downloaded revocation certificate, imported back through the import
// box, revokes it; an S/MIME P-256 request downloaded from the pending list is signed by a
// throwaway openssl CA, and the issued certificate pasted into the import box joins the key
// (the composer can then sign as that address); the agent role cannot make keys. The axe and
// 360 px checks of the section are in www.test.mjs. Needs make pkg and scripts/demo-keys.mjs.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(ROOT, "target", "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASS = "correct horse battery";
const ADMIN_PASS = "staple admin battery";

const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));
const { have } = await import(join(ROOT, "tests", "js", "helpers.mjs"));

describe("admin: make a key", { timeout: 120_000 }, () => {
  let server;
  let base;
  let browser;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh as root (installs chromium)`);
    assert.ok(existsSync(join(ROOT, "www", "demo-keys", "manifest.json")), "run node scripts/demo-keys.mjs first");
    ({ server, url: base } = await startServer({ host: "127.0.0.1", port: 0 }));
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A fresh profile, offline but for the demo server, with a new keyring (admin role) on the admin view. */
  async function adminPage() {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      return url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:") ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(e.message));
    await page.goto(base);
    await page.waitForSelector("#setup:not([hidden])");
    for (const [id, v] of [["#setup-pass", PASS], ["#setup-pass2", PASS], ["#setup-admin", ADMIN_PASS], ["#setup-admin2", ADMIN_PASS]]) await page.fill(id, v);
    await page.click("#setup-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
    await page.click("#tab-admin");
    return page;
  }

  /** Pastes text into the import box; returns what the page said. */
  async function paste(page, text, trusted = false) {
    await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await page.setChecked("#import-trusted", trusted);
    await page.fill("#import-paste", text);
    await page.click("#import-paste-btn");
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "", null, { timeout: 20_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
    return page.textContent("#import-msg");
  }

  async function make(page, { address, standard = "pgp", algorithm, name }) {
    await page.fill("#gen-address", address);
    if (name) await page.fill("#gen-name", name);
    await page.check(`input[name="gen-standard"][value="${standard}"]`);
    if (algorithm) await page.selectOption("#gen-algorithm", algorithm);
    await page.click("#gen-submit");
    await page.waitForFunction(() => document.getElementById("gen-result").textContent !== "" || document.getElementById("gen-msg").textContent !== "", null, { timeout: 30_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
    assert.equal(await page.textContent("#gen-msg"), "");
  }

  const download = async (page, button) => {
    const [d] = await Promise.all([page.waitForEvent("download"), button.click()]);
    return { name: d.suggestedFilename(), text: readFileSync(await d.path(), "utf8") };
  };
  const keyRow = (page, kind, address) => page.locator(`#keys tr[data-kind="${kind}"]`).filter({ hasText: address });

  test("OpenPGP Curve25519: listed with its private key; public key into gpg; the revocation certificate revokes it", async (t) => {
    const page = await adminPage();
    const address = "support@example.com";
    // Prefilled from the desk's addresses (those with a private key); the defaults.
    assert.match(await page.inputValue("#gen-address"), /@example\.(com|org)$/);
    assert.equal(await page.inputValue("#gen-algorithm"), "curve25519");
    assert.equal(await page.inputValue("#gen-valid"), "1095");
    assert.equal(await page.textContent("#gen-rsa-note"), "");
    await page.selectOption("#gen-algorithm", "rsa3072");
    assert.match(await page.textContent("#gen-rsa-note"), /several seconds.*does not respond/);
    await page.selectOption("#gen-algorithm", "curve25519");

    await make(page, { address, name: "Example Support" });
    const row = keyRow(page, "pgp", address);
    // the key list renders after the result (it was read too early on a loaded machine)
    await row.first().waitFor({ timeout: 15_000 });
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator("td:nth-child(6)").textContent(), "yes", "with its private key");
    assert.equal(await row.locator("td:nth-child(3)").textContent(), "valid");
    const fingerprint = await row.locator("td.id").textContent();
    assert.match(await page.textContent("#gen-result"), new RegExp(`Fingerprint: ${fingerprint}`));
    assert.match(await page.textContent("#gen-result"), /keep it offline.*importing it .*revokes the key/i);
    await page.locator("#gen-result").screenshot({ path: join(ARTIFACTS, "admin-openpgp-key-made.png") });
    const [ev] = await page.locator('#log tr[data-action="generate"][data-outcome="ok"]').evaluateAll((trs) => trs.map((tr) => tr.textContent));
    assert.match(ev, /support@example\.com/, "the log names the address");

    const pub = await download(page, page.getByRole("button", { name: "Download public key" }));
    assert.equal(pub.name, `${address}.asc`);
    assert.match(pub.text, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const rev = await download(page, page.getByRole("button", { name: "Download revocation certificate" }));
    assert.equal(rev.name, `${address}.rev.asc`);
    assert.match(rev.text, /-----BEGIN PGP PUBLIC KEY BLOCK-----/);

    if (have("gpg", t)) {
      const home = mkdtempSync(join(tmpdir(), "mailseal-keygen-gpg-"));
      try {
        // stdin only for the import: a gpg that reads none may exit before the input is written
        // (EPIPE, a flaky failure of this test).
        const gpg = (args, input) => execFileSync("gpg", ["--batch", "--quiet", "--homedir", home, ...args],
          { input, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] }).toString();
        gpg(["--import"], pub.text);
        const listed = gpg(["--with-colons", "--list-keys", address]);
        assert.match(listed, /^uid:.*Example Support <support@example\.com>/m);
        assert.match(listed, new RegExp(`^fpr:+${fingerprint.replaceAll(" ", "")}:`, "m"));
      } finally {
        spawnSync("gpgconf", ["--homedir", home, "--kill", "all"]);
        rmSync(home, { recursive: true, force: true });
      }
    }

    // Imported through the page's import box, the revocation certificate revokes the key.
    await paste(page, rev.text);
    assert.equal(await row.locator("td:nth-child(3)").textContent(), "revoked");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("S/MIME P-256: the request is pending until the CA's certificate joins it; then it signs", async (t) => {
    if (!have("openssl", t)) return;
    const page = await adminPage();
    const address = "desk@example.com";
    await make(page, { address, standard: "smime", algorithm: "p256" });
    assert.equal(await page.isVisible("#gen-valid-label"), false, "validity is the CA's to choose");
    assert.equal(await page.isVisible("#gen-v6-label"), false, "version 6 is an OpenPGP choice");
    assert.match(await page.inputValue("#gen-request"), /^-----BEGIN CERTIFICATE REQUEST-----/);
    const pending = page.locator("#pending li[data-id]");
    assert.equal(await pending.count(), 1);
    assert.match(await pending.textContent(), /desk@example\.com: P-256/);
    assert.equal(await keyRow(page, "smime", address).count(), 0, "no key in the list before its certificate");
    const csr = await download(page, pending.getByRole("button", { name: `Download the certificate request for ${address}` }));
    assert.equal(csr.name, `${address}.csr`);
    assert.equal(csr.text, await page.inputValue("#gen-request"));

    const dir = mkdtempSync(join(tmpdir(), "mailseal-keygen-ca-"));
    let ca;
    let issued;
    try {
      const openssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      writeFileSync(join(dir, "req.pem"), csr.text);
      openssl("req", "-verify", "-noout", "-in", "req.pem");
      writeFileSync(join(dir, "ext.cnf"), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=emailProtection\nsubjectAltName=email:${address}\n`);
      openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=Browser Keygen CA", "-days", "30", "-out", "ca.crt", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
      openssl("x509", "-req", "-in", "req.pem", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "9", "-days", "30", "-extfile", "ext.cnf", "-out", "desk.crt");
      ca = readFileSync(join(dir, "ca.crt"), "utf8");
      issued = readFileSync(join(dir, "desk.crt"), "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match(await paste(page, ca, true), /imported 1 key/);
    assert.match(await paste(page, issued), /the certificate joins the private key made here for desk@example\.com/);
    const row = keyRow(page, "smime", address);
    await row.first().waitFor({ timeout: 15_000 });
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator("td:nth-child(6)").textContent(), "yes", "with its private key");
    assert.equal(await row.locator("td:nth-child(3)").textContent(), "valid");
    assert.equal(await pending.count(), 0);
    assert.match(await page.textContent("#pending"), /None/);

    // The composer can sign as that address with S/MIME (a group that does not sign by default,
    // so the toggle shows what is possible; a recipient without a key, so only signing is).
    await page.click("#tab-agent");
    await page.selectOption("#c-group", "Billing");
    await page.selectOption("#c-from", address);
    await page.fill("#c-to", "nobody@example.net");
    await page.check('input[name="c-method"][value="smime"]');
    assert.equal(await page.isEnabled("#c-sign"), true, await page.getAttribute("#l-sign", "title"));
    assert.equal(await page.isEnabled('input[name="c-method"][value="smime"]'), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("the agent role cannot make keys: controls disabled, and the package refuses if forced", async () => {
    const page = await adminPage();
    await page.waitForSelector("#busy", { state: "hidden" });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 20_000 });
    await page.click("#tab-admin");
    assert.match(await page.textContent("#role-text"), /^Agent role: making/);
    for (const c of ["#gen-address", "#gen-name", "#gen-algorithm", "#gen-valid", "#gen-submit", 'input[name="gen-standard"][value="smime"]']) {
      assert.equal(await page.isDisabled(c), true, `${c} disabled`);
    }
    await page.evaluate(() => {
      for (const c of document.querySelectorAll("#gen-form input, #gen-form select, #gen-form button")) c.disabled = false;
    });
    await page.fill("#gen-address", "support@example.com");
    await page.click("#gen-submit");
    await page.waitForFunction(() => document.getElementById("gen-msg").textContent !== "", null, { timeout: 20_000 });
    assert.match(await page.textContent("#gen-msg"), /^No key made: .*\[admin_required\]/);
    assert.equal(await keyRow(page, "pgp", "support@example.com").count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
