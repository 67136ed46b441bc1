// The admin view's "Team" (issue 16, www/team.mjs) in headless Debian chromium, offline: three
// members in three browser profiles, each with its own keyring and passphrase. Alice creates the
// team for support@example.org (and downloads the team key's revocation certificate); Bob and
// Carol copy their member keys out of their pages into Alice's; the bundle moves between pages
// as a downloaded file; each sees three members; after Carol's removal her page refuses the new
// bundle (not_a_member); Bob rotates (the new public key offered, "rotate" in the chain); a
// flipped byte is refused (team_refused) and Bob's stored bundle stays; an older bundle after a
// newer is refused (team_rolled_back). axe finds nothing in the section; it fits 360 px.
// Needs make pkg and scripts/demo-keys.mjs.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = join(ROOT, "target", "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const DESK = "support@example.org";

const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));

describe("admin: a team of three", { timeout: 240_000 }, () => {
  let server;
  let base;
  let browser;
  let dir;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh as root (installs chromium)`);
    assert.ok(existsSync(join(ROOT, "www", "demo-keys", "manifest.json")), "run node scripts/demo-keys.mjs first");
    ({ server, url: base } = await startServer({ host: "127.0.0.1", port: 0 }));
    const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "mailseal-team-"));
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh profile (offline but for the demo server), a new keyring with its own passphrases, on the admin view. */
  async function member(name, opts = {}) {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 }, ...opts });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      return url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:") ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (e) => page.errors.push(e.message));
    await page.goto(base);
    await page.waitForSelector("#setup:not([hidden])");
    const pass = `${name} passphrase`;
    for (const [id, v] of [["#setup-pass", pass], ["#setup-pass2", pass], ["#setup-admin", `${name} admin`], ["#setup-admin2", `${name} admin`]]) await page.fill(id, v);
    await page.uncheck("#setup-demo");
    await page.click("#setup-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 30_000 });
    // The new keyring is still being sealed (Argon2id, seconds on a loaded machine): a member
    // key asked for meanwhile met a keyring in use, and its result never showed.
    await idle(page, 120_000);
    await page.click("#tab-admin");
    await page.fill("#member-name", name);
    // The key shows at once; the keyring is sealed after it (Argon2id). Twice in full runs the
    // third page's key never showed within 60 / 120 s while the same test alone takes ~13 s:
    // a lost click is asked again, and an error the page shows is the failure's message.
    let shown = false;
    for (let attempt = 0; attempt < 3 && !shown; attempt++) {
      await page.click("#member-show");
      shown = await page
        .waitForSelector("#member-result:not([hidden])", { timeout: 40_000 })
        .then(() => true)
        .catch(() => false);
    }
    assert.ok(shown, `no member key for ${name}: ${await page.textContent("#team-msg")}`);
    await idle(page, 120_000);
    return page;
  }

  const idle = (page, timeout = 30_000) => page.waitForSelector("#busy", { state: "hidden", timeout });
  const box = (page) => page.locator(`.team-box[data-address="${DESK}"]`);
  /** Waits until the page's team shows change `seq`. */
  const atChange = async (page, seq) => {
    await page.waitForSelector(`.team-box[data-address="${DESK}"][data-seq="${seq}"]`, { timeout: 30_000 });
    await idle(page);
  };
  const members = (page) => box(page).locator(".team-members li").evaluateAll((lis) => lis.map((li) => li.firstChild.textContent.trim()));
  const download = async (page, locator, file) => {
    const [d] = await Promise.all([page.waitForEvent("download"), locator.click()]);
    const path = join(dir, file ?? d.suggestedFilename());
    await d.saveAs(path);
    return { name: d.suggestedFilename(), path, text: readFileSync(path, "utf8") };
  };
  const saveBundle = (page, file) => download(page, box(page).getByRole("button", { name: `Download the bundle of ${DESK}` }), file);
  /** Loads a bundle file through the page; the page's message afterwards. */
  async function load(page, path) {
    await page.evaluate(() => {
      document.getElementById("team-msg").textContent = "";
      document.getElementById("team-status").textContent = "";
    });
    await page.setInputFiles("#team-file", path);
    await page.click("#team-load");
    await page.waitForFunction(() => (document.getElementById("team-msg").textContent + document.getElementById("team-status").textContent) !== "", null, { timeout: 30_000 });
    await idle(page);
    return { error: await page.textContent("#team-msg"), status: await page.textContent("#team-status") };
  }
  /** What the page's IndexedDB holds for the team. */
  const stored = (page) =>
    page.evaluate(
      (address) =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open("mailseal-demo", 1);
          req.onsuccess = () => {
            const get = req.result.transaction("vault").objectStore("vault").get(`team:${address}`);
            get.onsuccess = () => resolve(new TextDecoder().decode(get.result.bundle));
            get.onerror = () => reject(get.error);
          };
          req.onerror = () => reject(req.error);
        }),
      DESK,
    );

  test("create, add by pasted member keys, bundles as files, remove, rotate, tampered and rolled-back bundles", async () => {
    const [alice, bob, carol] = [await member("Alice"), await member("Bob"), await member("Carol")];

    // Alice creates the team: a new OpenPGP key for support@, its revocation certificate offered.
    await alice.fill("#team-address", DESK);
    await alice.click("#team-create");
    await atChange(alice, 0);
    assert.deepEqual(await members(alice), ["Alice"]);
    assert.match(await alice.textContent("#team-created"), /Fingerprint: [0-9A-F ]+/);
    const rev = await download(alice, alice.locator("#team-created").getByRole("button", { name: "Download revocation certificate" }));
    assert.equal(rev.name, `${DESK}.rev.asc`);
    assert.match(rev.text, /-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const pub = await download(alice, alice.locator("#team-created").getByRole("button", { name: "Download public key" }));
    assert.equal(pub.name, `${DESK}.asc`);

    // Bob's and Carol's member keys, copied out of their pages and pasted into Alice's.
    for (const [page, seq] of [[bob, 1], [carol, 2]]) {
      const json = await page.inputValue("#member-json");
      assert.deepEqual(Object.keys(JSON.parse(json)).sort(), ["id", "name", "wrap"]);
      await box(alice).locator(".team-new-member").fill(json);
      await box(alice).getByRole("button", { name: "Add member" }).click();
      await atChange(alice, seq);
    }
    assert.deepEqual(await members(alice), ["Alice", "Bob", "Carol"]);
    // Not a member key: refused before the package is asked.
    await box(alice).locator(".team-new-member").fill("{ nope");
    await box(alice).getByRole("button", { name: "Add member" }).click();
    assert.match(await alice.textContent("#team-msg"), /not a member key/);

    // The bundle moves as a file; every member opens it and sees three members.
    const v2 = await saveBundle(alice, "v2.team.json");
    assert.equal(v2.name, `${DESK}.team.json`);
    for (const page of [bob, carol]) {
      const { error, status } = await load(page, v2.path);
      assert.equal(error, "");
      assert.match(status, /Opened the team support@example\.org: 3 members, change #2/);
      assert.deepEqual(await members(page), ["Alice", "Bob", "Carol"]);
      assert.deepEqual(await box(page).locator(".team-changes li").evaluateAll((lis) => lis.map((li) => li.dataset.kind)), ["create", "add_member", "add_member"]);
    }
    assert.match(await box(bob).locator(".team-changes li").nth(2).textContent(), /^#2 add_member Carol by Alice, \d{4}-\d\d-\d\d \d\d:\d\d$/);
    await box(bob).screenshot({ path: join(ARTIFACTS, "team-three-members.png") });

    // Alice removes Carol: told to rotate; Carol's page refuses the new bundle and keeps hers.
    await box(alice).getByRole("button", { name: `Remove Carol from ${DESK}` }).click();
    await atChange(alice, 3);
    assert.match(await alice.textContent("#team-status"), /Carol is removed .* rotate the keys/);
    assert.deepEqual(await members(alice), ["Alice", "Bob"]);
    const v3 = await saveBundle(alice, "v3.team.json");
    const refused = await load(carol, v3.path);
    assert.match(refused.error, /^Not opened: .*\[not_a_member\]$/);
    assert.equal(await box(carol).getAttribute("data-seq"), "2", "Carol's stored team stays");

    // Bob takes the new bundle and rotates: a new public key offered, "rotate" in the chain.
    assert.equal((await load(bob, v3.path)).error, "");
    await atChange(bob, 3);
    await box(bob).getByRole("button", { name: `Rotate the keys of ${DESK}` }).click();
    await atChange(bob, 4);
    const rotated = box(bob).locator(".team-rotated");
    assert.match(await rotated.textContent(), /New OpenPGP key for support@example\.org\. Fingerprint: /);
    const newPub = await download(bob, rotated.getByRole("button", { name: "Download public key" }));
    assert.match(newPub.text, /-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.notEqual(newPub.text, pub.text);
    const newRev = await download(bob, rotated.getByRole("button", { name: "Download revocation certificate" }));
    assert.equal(newRev.name, `${DESK}.rev.asc`);
    assert.match(await box(bob).locator('.team-changes li[data-kind="rotate"]').textContent(), /^#4 rotate by Bob, /);
    const v4 = await saveBundle(bob, "v4.team.json");
    assert.equal((await load(alice, v4.path)).error, "");
    await atChange(alice, 4);

    // A flipped byte (a hex digit of the first change): team_refused; Bob's stored bundle stays.
    const text = readFileSync(v4.path, "utf8");
    const at = text.indexOf('"state":"') + 9;
    const flipped = text.slice(0, at) + (text[at] === "0" ? "1" : "0") + text.slice(at + 1);
    writeFileSync(join(dir, "flipped.team.json"), flipped);
    const before = await stored(bob);
    assert.equal(before, text);
    assert.match((await load(bob, join(dir, "flipped.team.json"))).error, /^Not opened: .*\[team_refused\]$/);
    assert.equal(await stored(bob), before, "the stored bundle is unchanged");
    assert.equal(await box(bob).getAttribute("data-seq"), "4");
    // The older bundle after the newer: rolled back.
    assert.match((await load(bob, v3.path)).error, /^Not opened: .*\[team_rolled_back\]$/);
    assert.equal(await stored(bob), before);

    // The log says what happened (no key material); the members' pages had no errors.
    assert.ok(await bob.locator('#log tr[data-action="team_rotate"]').count(), "the rotation is in Bob's log");
    for (const page of [alice, bob, carol]) {
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test("the Team section: axe clean (with a team and a rotation shown), fits 360 px; agents see it disabled", async () => {
    const axe = readFileSync(join(dirname(fileURLToPath(import.meta.resolve("axe-core"))), "axe.min.js"), "utf8");
    // axe-core is injected as an inline script, which the page's CSP rightly refuses.
    const page = await member("A rather long member name for a phone", { bypassCSP: true, viewport: { width: 360, height: 740 } });
    const audit = async (name) => {
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] } }));
      const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(found, [], `${name}: ${found.join("\n")}`);
    };
    const fits = async (view) => {
      const { scroll, wide } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        wide: [...document.querySelectorAll("#team *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && e.checkVisibility())
          .slice(0, 5)
          .map((e) => e.id || e.className || e.tagName),
      }));
      assert.equal(scroll, 0, `${view}: ${scroll}px too wide (${wide.join(", ")})`);
    };
    await audit("member key shown");
    await fits("member key shown");
    await page.fill("#team-address", "a-rather-long-support-address@example.org");
    await page.click("#team-create");
    await page.waitForSelector(".team-box[data-seq='0']", { timeout: 30_000 });
    await idle(page);
    await page.locator(".team-box").getByRole("button", { name: /^Rotate the keys/ }).click();
    await page.waitForSelector(".team-box[data-seq='1']", { timeout: 30_000 });
    await idle(page);
    await audit("team created and rotated");
    await fits("team created and rotated");
    await page.locator("#team").screenshot({ path: join(ARTIFACTS, "admin-team-360.png") });

    // The agent role: the section's controls are disabled.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.fill("#unlock-pass", "A rather long member name for a phone passphrase");
    await page.click("#unlock-form button[type=submit]");
    await page.waitForSelector("#agent:not([hidden])", { timeout: 20_000 });
    await page.click("#tab-admin");
    await page.waitForSelector(".team-box[data-seq='1']");
    for (const c of ["#member-show", "#team-create", "#team-load", "#team-file"]) assert.equal(await page.isDisabled(c), true, `${c} disabled`);
    for (const name of [/^Rotate the keys/, "Add member", /^Remove /]) assert.equal(await page.locator(".team-box").getByRole("button", { name }).first().isDisabled(), true, `${name} disabled`);
    assert.equal(await page.locator(".team-box").getByRole("button", { name: /^Download the bundle/ }).isDisabled(), false, "the bundle stays downloadable");
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
