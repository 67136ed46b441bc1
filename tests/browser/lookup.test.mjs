// Finding keys and fetching revocation lists from the demo page through the Worker (issue 14),
// in headless Debian chromium, everything real and on loopback:
//
//   chromium ──> page server (scripts/serve.mjs: www/, pkg/, and /v1/* handed to the Worker)
//                    │  same origin, as when the Worker is routed under the desk's origin:
//                    │  the page's CSP (connect-src 'self') is left as it is
//                    ▼
//                the mailseal Worker (worker/src, bundled by wrangler, run by Miniflare in workerd)
//                    │  its fetch() of https://openpgpkey.example.net/..., https://keys.example.net/...,
//                    │  http://crl.example.net/... goes through Miniflare's outbound hook, which
//                    ▼  sends it over loopback to
//                a local HTTP server started here: a WKD directory tree that gpg-wks-client
//                installed keys made by gpg at test time into (advanced layout, with its policy
//                file), a VKS endpoint (/vks/v1/by-email/<address>) with a gpg-made key, and a CRL
//                made by `openssl ca -gencrl` (tests/js/crl-ca.mjs), in DER as CRL servers serve it.
//
// The Worker itself refuses address literals and local names, so the hook is the one place
// where the public-looking names become 127.0.0.1; everything the page gets crossed it as
// bytes. Without gpg, gpg-wks-client, openssl or chromium the tests skip, and fail under CI.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(ROOT, "target", "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WKS_CLIENT = ["/usr/lib/gnupg/gpg-wks-client", "/usr/libexec/gpg-wks-client", "/usr/lib/gnupg2/gpg-wks-client"].find(existsSync) ?? "gpg-wks-client";
const PASS = "correct horse battery";
const ADMIN_PASS = "staple admin battery";
const COURIER = "courier-token-7c1e"; // the Worker's COURIER_TOKEN: the page's token
const WKD_USER = "wkd.user@example.net";
const VKS_USER = "vks.user@example.net";
const NOBODY = "nobody.here@example.net";
const CRL_URL = "http://crl.example.net/desk-ca.crl";
const REVOKED = "revoked@example.net";

const underCi = () => !["", "0", "false", undefined].includes(process.env.CI);
function tool(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return null;
  } catch {
    return cmd;
  }
}
const missing = [
  existsSync(CHROMIUM) ? null : CHROMIUM,
  tool("gpg", ["--version"]),
  tool(WKS_CLIENT, ["--version"]),
  tool("openssl", ["version"]),
  existsSync(join(ROOT, "worker", "node_modules", "miniflare")) ? null : "worker/node_modules (make setup)",
].filter(Boolean);
if (missing.length && underCi()) throw new Error(`required under CI (CI=${process.env.CI}): ${missing.join(", ")}`);

describe("finding keys and fetching CRLs through the Worker", { timeout: 240_000, skip: missing.length ? `missing: ${missing.join(", ")}` : false }, () => {
  let gnupg;
  let wkdDir;
  let origin; // the key server on loopback
  let worker;
  let pageServer;
  let base;
  let browser;
  let pki;
  const served = []; // every request that reached the key server: "host path"
  const offsite = [];
  const keys = {}; // address -> { fpr, armored }

  const gpg = (...args) => execFileSync("gpg", ["--batch", "--quiet", ...args], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: ["pipe", "pipe", "pipe"] });

  /** The key server: what openpgpkey.example.net, keys.example.net and crl.example.net would serve. */
  function keyServer(req, res) {
    const host = String(req.headers["x-forwarded-host"] ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    served.push(`${host} ${url.pathname}${url.search}`);
    const send = (status, body, type = "text/plain") => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    // WKD, advanced method: /.well-known/openpgpkey/<domain>/hu/<hash>?l=<local> and <domain>/policy,
    // straight from the directory gpg-wks-client --install-key wrote.
    const wkd = /^\/\.well-known\/openpgpkey\/([^/]+)\/(hu\/[a-z0-9]+|policy)$/.exec(url.pathname);
    if (host === "openpgpkey.example.net" && wkd) {
      const file = normalize(join(wkdDir, wkd[1], wkd[2]));
      if (file.startsWith(wkdDir + sep) && existsSync(file)) return send(200, readFileSync(file), "application/octet-stream");
      return send(404, "no such key");
    }
    // VKS (keys.openpgp.org's interface): the armored key for a verified address.
    const vks = /^\/vks\/v1\/by-email\/(.+)$/.exec(url.pathname);
    if (host === "keys.example.net" && vks) {
      const key = decodeURIComponent(vks[1]) === VKS_USER ? keys[VKS_USER] : null;
      return key ? send(200, key.armored, "application/pgp-keys") : send(404, "not found");
    }
    if (host === "crl.example.net" && url.pathname === "/desk-ca.crl") return send(200, pki.crlDer, "application/pkix-crl");
    return send(404, "not found");
  }

  before(async () => {
    // Keys made by gpg now, and a WKD tree made by gpg-wks-client from them.
    gnupg = mkdtempSync(join(tmpdir(), "mailseal-lookup-gpg-"));
    wkdDir = mkdtempSync(join(tmpdir(), "mailseal-wkd-"));
    for (const [address, name] of [
      [WKD_USER, "WKD User"],
      [VKS_USER, "VKS User"],
    ]) {
      gpg("--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", `${name} <${address}>`, "future-default", "default", "1y");
      const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--list-keys", `=${name} <${address}>`).toString())[1];
      keys[address] = { fpr, armored: gpg("--armor", "--export", fpr).toString() };
    }
    const binary = join(gnupg, "wkd-user.gpg");
    writeFileSync(binary, gpg("--export", keys[WKD_USER].fpr));
    execFileSync(WKS_CLIENT, ["-C", wkdDir, "--install-key", binary, WKD_USER], { env: { ...process.env, GNUPGHOME: gnupg }, stdio: "ignore" });
    keys[WKD_USER].hash = execFileSync(WKS_CLIENT, ["--print-wkd-hash", WKD_USER]).toString().split(" ")[0];
    assert.ok(existsSync(join(wkdDir, "example.net", "hu", keys[WKD_USER].hash)), "gpg-wks-client wrote the WKD tree");
    assert.ok(existsSync(join(wkdDir, "example.net", "policy")), "with its policy file");

    // A CA whose certificate names a CRL at a public-looking name; the CRL in DER.
    const { makeRevokingCa } = await import(join(ROOT, "tests", "js", "crl-ca.mjs"));
    pki = makeRevokingCa({ email: REVOKED, url: CRL_URL });
    pki.crlDer = execFileSync("openssl", ["crl", "-outform", "DER"], { input: pki.crl });

    origin = createServer(keyServer);
    await new Promise((resolve) => origin.listen(0, "127.0.0.1", resolve));
    const originUrl = `http://127.0.0.1:${origin.address().port}`;

    // The Worker, as deployed (wrangler bundle, workerd), with a keyserver configured and the
    // page's token; its outbound fetches go to the key server above.
    const { startWorker } = await import(join(ROOT, "worker", "test", "harness.mjs"));
    worker = await startWorker({
      vars: { KEYSERVERS: JSON.stringify([{ kind: "vks", url: "https://keys.example.net" }]) },
      secrets: { COURIER_TOKEN: COURIER },
      outbound: async (req) => {
        const u = new URL(req.url);
        const r = await fetch(originUrl + u.pathname + u.search, { headers: { "x-forwarded-host": u.host, accept: req.headers.get("accept") ?? "*/*" } });
        return new Response(await r.arrayBuffer(), { status: r.status, headers: { "content-type": r.headers.get("content-type") ?? "application/octet-stream" } });
      },
    });

    // The page and the Worker at one origin: the page server hands /v1/* to the Worker.
    const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));
    ({ server: pageServer, url: base } = await startServer({
      host: "127.0.0.1",
      port: 0,
      proxy: (request) => {
        const u = new URL(request.url);
        return worker.fetch(u.pathname + u.search, { method: request.method, headers: Object.fromEntries(request.headers) });
      },
    }));
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    pageServer?.closeAllConnections();
    await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve()));
    await worker?.dispose();
    origin?.closeAllConnections();
    await new Promise((resolve) => (origin ? origin.close(resolve) : resolve()));
    for (const d of [gnupg, wkdDir]) if (d) rmSync(d, { recursive: true, force: true });
    // (The demo's HTML message has a remote image, which is blocked: www.test.mjs checks that.)
    assert.deepEqual(offsite.filter((u) => !u.startsWith("https://tracker.example.net/")), [], "the page asked nothing of another origin");
  });

  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(e.message));
    await page.goto(base);
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#setup-pass", PASS);
    await page.fill("#setup-pass2", PASS);
    await page.fill("#setup-admin", ADMIN_PASS);
    await page.fill("#setup-admin2", ADMIN_PASS);
    await page.click("#setup-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
    return page;
  }

  /** The admin saves the Worker token (Admin → Key lookups and revocation checks). */
  async function saveToken(page, token) {
    await page.click("#tab-admin");
    await page.fill("#courier-token", token);
    await page.click("#courier-form button[type=submit]");
    await page.waitForFunction(() => /checks are on/.test(document.getElementById("courier-msg").textContent));
    await page.click("#tab-agent");
  }

  const entry = (page, address) => page.locator(`#c-lookup li.lookup[data-address="${address}"]`);

  /** Types the recipient and presses "Find key"; resolves when the lookup has an outcome. */
  async function find(page, address) {
    await page.selectOption("#c-from", "alice@example.com");
    await page.fill("#c-to", address);
    await entry(page, address).getByRole("button", { name: `Find a key for ${address}` }).click();
    await page.waitForFunction(
      (a) => {
        const box = document.querySelector(`#c-lookup li[data-address="${a}"]`);
        return box && !/Looking up/.test(box.querySelector(".lookup-status").textContent) && box.querySelector(".lookup-status").textContent !== "";
      },
      address,
      { timeout: 30_000 },
    );
  }

  const grouped = (fpr) => fpr.match(/.{1,4}/g).join(" ");

  test("(a) a key on WKD: offered with its source, accepted, Encrypt on, and gpg opens what is sent", async () => {
    const page = await newPage();
    await saveToken(page, COURIER);
    await page.selectOption("#c-from", "alice@example.com");
    await page.fill("#c-to", WKD_USER);
    assert.equal(await page.isEnabled("#c-encrypt"), false, "no key yet");
    served.length = 0;
    await find(page, WKD_USER);
    const offer = entry(page, WKD_USER).locator("li.candidate");
    assert.equal(await offer.count(), 1);
    assert.equal(await offer.getAttribute("data-source"), "wkd_advanced");
    const text = (await offer.textContent()).replace(/\s+/g, " ");
    assert.match(text, /WKD \(advanced\) · openpgpkey\.example\.net · found, not verified/);
    assert.match(text, /User IDWKD User <wkd\.user@example\.net>/);
    assert.match(text, new RegExp(`Fingerprint${grouped(keys[WKD_USER].fpr)}`));
    assert.match(text, /Expires\d{4}-\d\d-\d\d/);
    assert.match(await entry(page, WKD_USER).locator(".lookup-status").textContent(), /Found by WKD \(advanced\): 1 key .*Nothing is imported until you choose/);
    // The bytes came from the gpg-wks-client tree, at the advanced method's URL.
    assert.deepEqual(served, [`openpgpkey.example.net /.well-known/openpgpkey/example.net/hu/${keys[WKD_USER].hash}?l=wkd.user`]);
    assert.equal(await page.isEnabled("#c-encrypt"), false, "offered, not imported");

    await offer.getByRole("button", { name: /Use key/ }).click();
    await page.waitForFunction(() => /imported for/.test(document.getElementById("c-lookup-msg").textContent), null, { timeout: 30_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
    assert.match(await page.textContent("#c-lookup-msg"), new RegExp(`Key ${grouped(keys[WKD_USER].fpr)} imported for wkd\\.user@example\\.net: found by WKD \\(advanced\\), not verified`));
    assert.equal(await entry(page, WKD_USER).count(), 0, "no longer without a key");
    assert.equal(await page.isEnabled("#c-encrypt"), true, "Encrypt is possible now");
    await page.check("#c-encrypt");
    await page.fill("#c-subject", "Your ticket");
    await page.fill("#c-body", "Found your key on WKD.");
    await page.click("#c-send");
    const row = page.locator("#sent table.deliveries tbody tr");
    await row.first().waitFor();
    const [to, method, , encrypted] = await row.first().locator("td").allTextContents();
    assert.deepEqual([to, method, encrypted], [WKD_USER, "pgp", "yes"]);
    // gpg, holding the secret key it made, opens the sent copy.
    const mime = await page.locator("#sent pre.mime").first().textContent();
    const armored = /-----BEGIN PGP MESSAGE-----[\s\S]+?-----END PGP MESSAGE-----/.exec(mime)[0];
    const out = spawnSync("gpg", ["--batch", "--status-fd", "2", "--decrypt"], { input: armored, env: { ...process.env, GNUPGHOME: gnupg } });
    const status = out.stderr.toString();
    assert.match(status, /\[GNUPG:\] DECRYPTION_OKAY/, status);
    assert.match(out.stdout.toString(), /Found your key on WKD\./);
    // The admin sees where the key came from; it is not verified.
    await page.click("#tab-admin");
    const keyRow = page.locator("#keys tr").filter({ hasText: WKD_USER });
    assert.match(await keyRow.locator("td[data-trust]").textContent(), /^not verified · found by WKD \(advanced\) \d{4}-\d\d-\d\d/);
    assert.equal(await keyRow.locator("td[data-trust]").getAttribute("data-trust"), "unverified");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("(b) a key only on the keyserver: found with source VKS after WKD answered nothing", async () => {
    const page = await newPage();
    await saveToken(page, COURIER);
    served.length = 0;
    await find(page, VKS_USER);
    const offer = entry(page, VKS_USER).locator("li.candidate");
    assert.equal(await offer.getAttribute("data-source"), "vks");
    assert.match((await offer.textContent()).replace(/\s+/g, " "), /keyserver \(VKS\) · keys\.example\.net · found, not verified/);
    assert.equal(await offer.getAttribute("data-fingerprint"), keys[VKS_USER].fpr);
    assert.deepEqual(
      served.map((s) => s.split(" ")[0]),
      ["openpgpkey.example.net", "example.net", "keys.example.net"],
      `WKD advanced, WKD direct, then the keyserver: ${served.join("\n")}`,
    );
    await offer.getByRole("button", { name: /Use key/ }).click();
    await page.waitForFunction(() => /imported for/.test(document.getElementById("c-lookup-msg").textContent), null, { timeout: 30_000 });
    assert.match(await page.textContent("#c-lookup-msg"), /found by keyserver \(VKS\), not verified/);
    assert.equal(await page.isEnabled("#c-encrypt"), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("(c) an address nobody has a key for: a clear 'no key found', Encrypt stays off", async () => {
    const page = await newPage();
    await saveToken(page, COURIER);
    await find(page, NOBODY);
    const status = entry(page, NOBODY).locator(".lookup-status");
    assert.match(
      await status.textContent(),
      /^No key found for nobody\.here@example\.net \(WKD \(advanced\): no key there; WKD \(direct\): no key there; keyserver \(VKS\): no key there\)/,
    );
    assert.match(await status.getAttribute("class"), /error/);
    assert.equal(await entry(page, NOBODY).locator("li.candidate").count(), 0);
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    assert.equal(await entry(page, NOBODY).getByRole("button", { name: /Try again/ }).count(), 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("(d) nothing is imported unless the agent accepts; the offer is accessible and fits 360 px", async () => {
    // bypassCSP only to inject axe-core (an inline script); the lookups are the same-origin fetches.
    const page = await newPage({ bypassCSP: true, viewport: { width: 360, height: 740 } });
    await saveToken(page, COURIER);
    await find(page, WKD_USER);
    assert.equal(await entry(page, WKD_USER).locator("li.candidate").count(), 1);
    const axe = readFileSync(join(dirname(fileURLToPath(import.meta.resolve("axe-core"))), "axe.min.js"), "utf8");
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] } }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(scroll, 0, `${scroll}px too wide at 360 px`);
    await entry(page, WKD_USER).screenshot({ path: join(ARTIFACTS, "composer-key-found-360.png") });
    // Looked at, not accepted: the key is not in the keyring, now or after a reload.
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    await page.fill("#c-to", "carol@example.com");
    await page.fill("#c-to", WKD_USER);
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    await page.click("#tab-admin");
    assert.doesNotMatch(await page.textContent("#keys"), /wkd\.user@example\.net/);
    assert.ok(!(await page.textContent("#log")).includes("import_wkd"), "no import in the log");
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
    await page.click("#tab-admin");
    assert.doesNotMatch(await page.textContent("#keys"), /wkd\.user@example\.net/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("(e) no token: lookups unavailable; a wrong token: a clear refusal", async () => {
    const page = await newPage();
    await page.selectOption("#c-from", "alice@example.com");
    await page.fill("#c-to", WKD_USER);
    assert.match(await entry(page, WKD_USER).textContent(), /Key lookups are unavailable: no Worker is set up/);
    assert.equal(await entry(page, WKD_USER).getByRole("button").count(), 0);
    await saveToken(page, "not-the-token");
    await find(page, WKD_USER);
    assert.match(await entry(page, WKD_USER).locator(".lookup-status").textContent(), /The Worker refused the token/);
    assert.equal(await entry(page, WKD_USER).locator("li.candidate").count(), 0);
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("revocation: 'Fetch now' gets the CA's CRL through the Worker and the certificate shows revoked", async () => {
    const page = await newPage();
    await saveToken(page, COURIER);
    await page.click("#tab-admin");
    for (const [pem, trusted] of [
      [pki.ca, true],
      [pki.cert, false],
    ]) {
      await page.setChecked("#import-trusted", trusted);
      await page.fill("#import-paste", pem.toString());
      await page.click("#import-paste-btn");
      await page.waitForFunction(() => /imported/.test(document.getElementById("import-msg").textContent));
      await page.waitForSelector("#busy", { state: "hidden" });
      await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    }
    const row = page.locator("#keys tr").filter({ hasText: REVOKED });
    assert.equal(await row.locator("td.status-valid").textContent(), "valid");
    assert.match(await page.textContent("#revocation"), /Not checked: .*JS Test CA.*crl\.example\.net\/desk-ca\.crl/);
    served.length = 0;
    await page.click("#revocation-fetch");
    await page.waitForFunction(() => /revoked/.test(document.getElementById("revocation-msg").textContent), null, { timeout: 30_000 });
    assert.match(await page.textContent("#revocation-msg"), /crl\.example\.net\/desk-ca\.crl: revocation list of .*JS Test CA.*: 1 revoked/);
    assert.deepEqual(served, ["crl.example.net /desk-ca.crl"]);
    assert.match(await page.textContent("#revocation"), /JS Test CA.*: 1 revoked/);
    assert.doesNotMatch(await page.textContent("#revocation"), /Not checked/);
    assert.equal(await page.locator("#revocation-fetch").count(), 0, "nothing left to fetch");
    assert.equal(await row.locator("td.status-revoked").textContent(), "revoked");
    // Sealed with the keyring: still revoked after a reload.
    await page.waitForSelector("#busy", { state: "hidden" });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
    await page.click("#tab-admin");
    assert.equal(await row.locator("td.status-revoked").textContent(), "revoked");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
