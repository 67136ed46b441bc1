// Key lookups in the Worker (issue 14): with KEY_LOOKUP = "on", a notification to a recipient
// without a key makes the worker ask what the package names (WKD advanced, WKD direct, then
// KEYSERVERS), import the key found (unverified) and encrypt to it; a recipient found nowhere
// falls to the policy's fallback and is not asked again at once; off by default.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { TOKEN, eventsOf, repoFile, startWorker } from "./harness.mjs";

const auth = { authorization: `Bearer ${TOKEN}` };
const ADVANCED = "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/";
const DIRECT = "https://example.org/.well-known/openpgpkey/hu/";
const VKS = "https://keys.example.net/vks/v1/by-email/";
const mail = (to) =>
  "From: Support Desk <support@example.com>\r\n" +
  `To: ${to}\r\n` +
  "Subject: Ticket #88\r\nMessage-ID: <n-88@desk.example.com>\r\n" +
  "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n" +
  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSolved.\r\n";

describe("key lookups by the worker", () => {
  const workers = [];
  after(() => Promise.all(workers.map((w) => w.dispose())));

  async function worker(vars, answer) {
    const fetched = [];
    const w = await startWorker({
      vars,
      outbound: (req) => {
        fetched.push(req.url);
        return answer(req);
      },
    });
    workers.push(w);
    const protect = (to) =>
      w.fetch("/v1/protect?fallback=block&method=pgp", { method: "POST", body: mail(to), headers: auth });
    const events = (name) => eventsOf(w, name);
    return { protect, fetched, events };
  }

  test("WKD direct has Carol's key: found, imported unverified, encrypted to; not fetched again", async () => {
    const carol = repoFile("openpgp/carol.pub.asc");
    const w = await worker({ KEY_LOOKUP: "on" }, (req) =>
      req.url.startsWith(DIRECT) && req.url.endsWith("?l=carol") ? new Response(carol) : new Response("", { status: 404 }),
    );
    const res = await w.protect("carol@example.org");
    assert.equal(res.status, 200, await res.clone().text());
    const [d] = (await res.json()).deliveries;
    assert.equal(d.method, "pgp");
    assert.equal(d.encrypted, true);
    assert.equal(w.fetched.length, 2);
    assert.ok(w.fetched[0].startsWith(ADVANCED) && w.fetched[1].startsWith(DIRECT), w.fetched.join("\n"));
    assert.deepEqual(w.events("key_found").map((e) => e.source), ["wkd_direct"]);
    assert.equal((await w.protect("carol@example.org")).status, 200);
    assert.equal(w.fetched.length, 2, "held now");
  });

  test("an answer with another address's key is not taken; the keyserver is asked last", async () => {
    const dave = repoFile("openpgp/dave.pub.asc");
    const w = await worker({ KEY_LOOKUP: "on", KEYSERVERS: JSON.stringify([{ kind: "vks", url: "https://keys.example.net" }]) }, (req) =>
      // Every source answers with Dave's key: none names carol@example.org.
      new Response(dave),
    );
    const res = await w.protect("carol@example.org");
    assert.equal(res.status, 422);
    assert.equal((await res.json()).error, "recipient_key_missing");
    assert.equal(w.fetched.length, 3);
    assert.ok(w.fetched[2].startsWith(VKS), w.fetched.join("\n"));
    assert.equal(w.events("key_not_found").length, 1);
    await w.protect("carol@example.org");
    assert.equal(w.fetched.length, 3, "a miss is not asked again at once");
  });

  test("the customer's domain is fetched through the courier's guard: no redirect, no local name, 1 MiB", async () => {
    // A key server the customer runs redirects to the Worker's own network (web sweep 15).
    const moved = await worker({ KEY_LOOKUP: "on" }, (req) =>
      req.url.startsWith("https://")
        ? new Response("", { status: 302, headers: { location: "http://127.0.0.1:2375/containers/json" } })
        : new Response("internal"),
    );
    assert.equal((await moved.protect("carol@example.org")).status, 422);
    assert.equal(moved.fetched.length, 2, moved.fetched.join("\n"));
    assert.ok(moved.fetched.every((u) => u.startsWith("https://")), moved.fetched.join("\n"));
    // Local names are not asked at all, in any spelling.
    const local = await worker({ KEY_LOOKUP: "on" }, () => new Response("", { status: 404 }));
    for (const to of ["a@localhost.", "a@foo.localhost", "a@printer.local", "a@db.internal"]) {
      assert.equal((await local.protect(to)).status, 422, to);
    }
    assert.deepEqual(local.fetched, []);
    // An answer over 1 MiB is not read whole.
    const carol = repoFile("openpgp/carol.pub.asc");
    const huge = await worker({ KEY_LOOKUP: "on" }, () => new Response(new Uint8Array(2 * 1024 * 1024 + carol.length).fill(0x20)));
    assert.equal((await huge.protect("carol@example.org")).status, 422);
    assert.ok(huge.events("key_lookup_refused").some((e) => e.code === "too_large"), JSON.stringify(huge.events("key_lookup_refused")));
  });

  test("off by default: nothing fetched", async () => {
    const w = await worker({}, () => new Response("", { status: 404 }));
    assert.equal((await w.protect("carol@example.org")).status, 422);
    assert.deepEqual(w.fetched, []);
  });
});
