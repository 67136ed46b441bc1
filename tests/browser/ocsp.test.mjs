// Revocation of S/MIME signers in the demo page's reading view (issue 14), in headless Debian
// chromium, everything real and on loopback:
//
//   chromium ──> page server (scripts/serve.mjs: www/, pkg/, and /v1/* handed to the Worker)
//                    ▼
//                the mailseal Worker (bundled by wrangler, run by Miniflare in workerd):
//                GET /v1/revocation?url=http://ocsp.example.net/<request>&kind=ocsp
//                    │  its fetch goes through Miniflare's outbound hook, which sends it to
//                    ▼
//                `openssl ocsp -index index.txt -CA ca.crt -rsigner responder.crt ... -port PORT`
//                on 127.0.0.1 (a CA made by `openssl ca` now, a delegated OCSPSigning responder),
//                and a CRL made by `openssl ca -gencrl` for a certificate that names only a CRL.
//
// The ticket's messages are signed by `openssl cms -sign` with certificates whose
// authorityInfoAccess names http://ocsp.example.net/ (or http://ocsp-down.example.net/, which
// the hook sends to a loopback port nothing listens on). The page opens each, sees
// signature.revocation "unchecked" and opened.revocationRequests, asks the Worker at its own
// origin, hands the answer to ring.importRevocation and opens again. Without openssl or chromium
// the tests skip, and fail under CI.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(ROOT, "target", "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASS = "correct horse battery";
const ADMIN_PASS = "staple admin battery";
const COURIER = "courier-token-0c5b";
const OCSP_URL = "http://ocsp.example.net/";
const DOWN_URL = "http://ocsp-down.example.net/";
const CRL_URL = "http://crl.example.net/ocsp-ca.crl";
const TITLES = {
  good: "Signed by a certificate in good standing",
  revoked: "Signed by a certificate its CA revoked (OCSP)",
  crlonly: "Signed by a certificate its CA revoked (CRL)",
  dark: "Signed by a certificate whose responder is down",
};

const underCi = () => !["", "0", "false", undefined].includes(process.env.CI);
const missing = [
  existsSync(CHROMIUM) ? null : CHROMIUM,
  (() => {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
      return null;
    } catch {
      return "openssl";
    }
  })(),
  existsSync(join(ROOT, "worker", "node_modules", "miniflare")) ? null : "worker/node_modules (make setup)",
].filter(Boolean);
if (missing.length && underCi()) throw new Error(`required under CI (CI=${process.env.CI}): ${missing.join(", ")}`);

describe("the reading view checks signers' revocation through the Worker", { timeout: 240_000, skip: missing.length ? `missing: ${missing.join(", ")}` : false }, () => {
  let pki;
  let crlPki;
  let responder;
  let closedPort;
  let worker;
  let pageServer;
  let base;
  let browser;
  const messages = {}; // file -> bytes
  const served = []; // what the Worker fetched, as "host" (or "host path" for the CRL)
  const offsite = [];

  before(async () => {
    const { freePort, makeOcspPki, startResponder } = await import(join(ROOT, "tests", "js", "ocsp-ca.mjs"));
    const port = await freePort();
    pki = makeOcspPki({
      ocspUrl: OCSP_URL,
      crlUrl: CRL_URL,
      people: [
        { name: "good", email: "good@example.net", ocsp: true },
        { name: "revoked", email: "revoked@example.net", ocsp: true, revoked: true },
        { name: "dark", email: "dark@example.net", ocsp: true, ocspUrl: DOWN_URL },
      ],
    });
    // The CRL case under a CA of its own: a current CRL of a CA speaks for every certificate it
    // issued, so held beside the others it would answer for "dark" too.
    crlPki = makeOcspPki({ caName: "CRL Test CA", crlUrl: CRL_URL, people: [{ name: "crlonly", email: "crlonly@example.net", crl: true, revoked: true }] });
    responder = await startResponder(pki, port);
    closedPort = await freePort(); // while the responder holds its port: never the same one
    for (const who of Object.keys(TITLES)) {
      const raw = (who === "crlonly" ? crlPki : pki).signed(who, { from: `${who}@example.net`, to: "alice@example.com", subject: `Ticket #4711 (${who})`, text: `Hello from ${who}.\n` });
      messages[`${who}.eml`] = Buffer.concat([Buffer.from(`Message-ID: <${who}-ocsp@example.net>\nDate: ${new Date().toUTCString()}\n`), raw]);
    }

    const { startWorker } = await import(join(ROOT, "worker", "test", "harness.mjs"));
    worker = await startWorker({
      secrets: { COURIER_TOKEN: COURIER },
      outbound: async (req) => {
        const u = new URL(req.url);
        served.push(u.host === "crl.example.net" ? `${u.host} ${u.pathname}` : u.host);
        if (u.host === "ocsp.example.net") {
          const r = await fetch(`http://127.0.0.1:${responder.port}${u.pathname}`);
          return new Response(await r.arrayBuffer(), { status: r.status, headers: { "content-type": r.headers.get("content-type") ?? "" } });
        }
        if (u.host === "ocsp-down.example.net") return fetch(`http://127.0.0.1:${closedPort}${u.pathname}`); // refused
        if (u.href === CRL_URL) return new Response(crlPki.crlDer, { headers: { "content-type": "application/pkix-crl" } });
        return new Response("not found", { status: 404 });
      },
    });
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
    await responder?.stop();
    pki?.cleanup();
    crlPki?.cleanup();
    assert.deepEqual(offsite, [], "the page asked nothing of another origin");
  });

  /** A fresh keyring whose ticket holds the four signed messages; the Worker token saved and
   * the test CA imported as a trust anchor (admin); then the agent view. */
  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    // The ticket: these messages instead of the demo's (registered last, so it wins).
    await context.route((url) => url.href.startsWith(base) && url.pathname.startsWith("/demo-messages/"), (route) => {
      const file = new URL(route.request().url()).pathname.split("/").pop();
      if (file === "manifest.json") {
        const manifest = { ticket: "Ticket #4711: revocation", messages: Object.entries(TITLES).map(([who, title]) => ({ title, file: `${who}.eml` })) };
        return route.fulfill({ contentType: "application/json", body: JSON.stringify(manifest) });
      }
      return messages[file] ? route.fulfill({ contentType: "message/rfc822", body: messages[file] }) : route.fulfill({ status: 404 });
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
    await page.click("#tab-admin");
    await page.fill("#courier-token", COURIER);
    await page.click("#courier-form button[type=submit]");
    await page.waitForFunction(() => /checks are on/.test(document.getElementById("courier-msg").textContent));
    for (const ca of [pki.ca, crlPki.ca]) {
      await page.setChecked("#import-trusted", true);
      await page.fill("#import-paste", ca.toString());
      await page.click("#import-paste-btn");
      await page.waitForFunction(() => /imported/.test(document.getElementById("import-msg").textContent));
      await page.waitForSelector("#busy", { state: "hidden" });
      await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    }
    return page;
  }

  const article = (page, who) => page.locator("#articles article").filter({ has: page.locator("p.hint", { hasText: TITLES[who] }) });

  /** The agent view with every article opened (and checked). */
  async function showTicket(page) {
    // What is shown now was opened before the last change: wait for the articles opened anew.
    await page.evaluate(() => document.querySelectorAll("#articles article").forEach((a) => (a.dataset.stale = "yes")));
    await page.click("#tab-agent");
    await page.waitForFunction((n) => document.querySelectorAll("#articles article[data-signature]:not([data-stale])").length === n, Object.keys(TITLES).length, { timeout: 60_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
  }

  /** The signature details dialog's text for `who`. */
  async function details(page, who) {
    await article(page, who).locator('button.badge[data-kind="signature"]').click();
    const text = await page.evaluate(() => [...document.querySelectorAll("#detail-list dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`).join(" | "));
    await page.keyboard.press("Escape");
    return text;
  }

  /** The admin sets "When a signer's revocation cannot be checked". */
  async function setUnchecked(page, value) {
    await page.click("#tab-admin");
    await page.selectOption("#p-unchecked", value);
    await page.click("#policy-form button[type=submit]");
    await page.waitForFunction(() => /Saved/.test(document.getElementById("policy-msg").textContent));
    await page.waitForSelector("#busy", { state: "hidden" });
  }

  test("revoked (OCSP and CRL) is shown revoked, good stays valid, a responder down passes by default", async () => {
    const page = await newPage();
    served.length = 0;
    await showTicket(page);
    const state = async (who) => article(page, who).getAttribute("data-signature");
    assert.equal(await state("revoked"), "revoked");
    assert.match(await article(page, "revoked").locator(".verdict").textContent(), /revoked key.*key compromise/s);
    assert.equal(await state("crlonly"), "revoked");
    assert.equal(await state("good"), "valid");
    assert.equal(await article(page, "good").getAttribute("data-revocation"), "good");
    assert.equal(await state("dark"), "valid", "soft-fail by default");
    assert.equal(await article(page, "dark").getAttribute("data-revocation"), "unchecked");
    // Each URL once, through the Worker, to the real responder (and the CRL server).
    assert.deepEqual([...served].sort(), ["crl.example.net /ocsp-ca.crl", "ocsp-down.example.net", "ocsp.example.net", "ocsp.example.net"]);
    assert.equal(responder.log.join("").match(/Received request/g)?.length >= 2, true, "openssl ocsp answered");
    // The details say what was checked.
    const good = await details(page, "good");
    assert.match(good, /Revocation: checked: not revoked/);
    assert.match(good, /Revocation checks: OCSP responder ocsp\.example\.net: good/);
    const dark = await details(page, "dark");
    assert.match(dark, /Revocation: could not be checked/);
    assert.match(dark, /Revocation checks: OCSP responder ocsp-down\.example\.net: not checked \(The revocation server /);
    assert.match(await details(page, "crlonly"), /CRL http:\/\/crl\.example\.net\/ocsp-ca\.crl: 1 revoked certificate\(s\) listed by CN=CRL Test CA/);
    await page.locator("#articles").screenshot({ path: join(ARTIFACTS, "reading-revocation.png") });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("responder down under the policy: block does not verify, warn shows a warning", async () => {
    const page = await newPage();
    await setUnchecked(page, "block");
    await showTicket(page);
    assert.equal(await article(page, "dark").getAttribute("data-signature"), "untrusted");
    assert.match(await article(page, "dark").locator('button.badge[data-kind="signature"]').textContent(), /Untrusted signer/);
    assert.match(await details(page, "dark"), /Detail: The signature is not trusted: the revocation of the signer's certificate could not be checked/);
    assert.equal(await article(page, "good").getAttribute("data-signature"), "valid", "a good answer passes under block too");
    assert.equal(await article(page, "revoked").getAttribute("data-signature"), "revoked");

    await setUnchecked(page, "warn");
    await showTicket(page);
    assert.equal(await article(page, "dark").getAttribute("data-signature"), "valid");
    assert.match(await article(page, "dark").locator("ul.warnings").textContent(), /revo/i);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("admin: a keyring certificate that names a responder is due; Fetch now imports the answer with its request", async () => {
    const page = await newPage(); // still in the admin view, nothing opened since the CA came
    served.length = 0;
    await page.setChecked("#import-trusted", false);
    await page.fill("#import-paste", pki.cert("revoked").toString());
    await page.click("#import-paste-btn");
    await page.waitForFunction(() => /imported/.test(document.getElementById("import-msg").textContent));
    await page.waitForSelector("#busy", { state: "hidden" });
    assert.match(await page.textContent("#revocation"), /Not checked: CN=revoked of CN=OCSP Test CA, ask its OCSP responder/);
    await page.click("#revocation-fetch");
    await page.waitForFunction(() => /OCSP answer/.test(document.getElementById("revocation-msg").textContent), null, { timeout: 30_000 });
    assert.match(await page.textContent("#revocation-msg"), /CN=revoked: OCSP answer from ocsp\.example\.net: revoked/);
    assert.deepEqual(served, ["ocsp.example.net"]);
    assert.match(await page.textContent("#revocation"), /OCSP: certificate [0-9A-F]+ of CN=OCSP Test CA: revoked/i);
    assert.equal(await page.locator("#keys tr").filter({ hasText: "revoked@example.net" }).locator("td.status-revoked").textContent(), "revoked");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
