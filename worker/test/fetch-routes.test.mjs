// The worker as the page's courier (issue 14): GET /v1/lookup (a key for an address from WKD /
// keyservers) and GET /v1/revocation (a CRL forwarded as it came). Both need the token, fetch
// only http(s) URLs of public host names (no address literals, no local names, no
// credentials), follow no redirects, cap what they read and give up on slow answers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Keyring } from "mailseal";
import { TOKEN, repoFile, startWorker } from "./harness.mjs";

const auth = { authorization: `Bearer ${TOKEN}` };
const COURIER = "courier-token-for-the-page";
const ADVANCED = "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/";
const CRL_URL = "http://crl.example.net/ca.crl";
const CRL = new Uint8Array([0x30, 0x82, 0x01, 0x00, 1, 2, 3]);

describe("GET /v1/lookup and /v1/revocation", () => {
  let w;
  const fetched = [];
  before(async () => {
    const carol = repoFile("openpgp/carol.pub.asc");
    w = await startWorker({
      vars: { LOOKUP_TIMEOUT_MS: "300" },
      secrets: { COURIER_TOKEN: COURIER },
      outbound: (req) => {
        fetched.push(req.url);
        if (req.url.startsWith(ADVANCED) && req.url.endsWith("?l=carol")) return new Response(carol);
        if (req.url === CRL_URL) return new Response(CRL);
        if (req.url === "http://crl.example.net/huge.crl") return new Response(new Uint8Array(11 * 1024 * 1024));
        if (req.url === "http://crl.example.net/moved.crl") return new Response(null, { status: 302, headers: { location: "http://10.0.0.1/x" } });
        // Slower than LOOKUP_TIMEOUT_MS (300 here).
        if (req.url === "http://crl.example.net/slow.crl") return new Promise((resolve) => setTimeout(() => resolve(new Response(CRL)), 3000));
        return new Response("", { status: 404 });
      },
    });
  });
  after(() => w?.dispose());
  const get = (path, headers = auth) => w.fetch(path, { headers });

  test("both need the token", async () => {
    assert.equal((await get("/v1/lookup?address=carol@example.org", {})).status, 401);
    assert.equal((await get(`/v1/revocation?url=${encodeURIComponent(CRL_URL)}`, {})).status, 401);
    assert.deepEqual(fetched, []);
  });

  test("COURIER_TOKEN (the page's token) opens the fetching routes only", async () => {
    const page = { authorization: `Bearer ${COURIER}` };
    assert.equal((await get(`/v1/revocation?url=${encodeURIComponent(CRL_URL)}`, page)).status, 200);
    assert.equal((await get("/v1/lookup?address=carol@example.org", page)).status, 200);
    const mail = "From: support@example.com\r\nTo: alice@example.com\r\nSubject: s\r\n\r\nhi\r\n";
    for (const path of ["/v1/open", "/v1/protect"]) {
      const res = await w.fetch(path, { method: "POST", body: mail, headers: page });
      assert.equal(res.status, 401, path);
    }
    assert.equal((await get("/v1/health", page)).headers.get("content-type")?.includes("json"), true);
    assert.equal((await (await get("/v1/health", page)).json()).addresses, undefined, "no health details for it");
    fetched.length = 0;
  });

  test("lookup: the first source with a key for the address, which the page can import", async () => {
    const res = await get("/v1/lookup?address=carol@example.org");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.source, "wkd_advanced");
    assert.deepEqual(body.candidates.map((c) => c.emails), [["carol@example.org"]]);
    const ring = new Keyring();
    const [key] = ring.importFound("carol@example.org", body.source, Buffer.from(body.answer, "base64"));
    assert.equal(key.id, body.candidates[0].id);
    assert.equal(key.origin.source, "wkd_advanced");

    const none = await get("/v1/lookup?address=nobody@example.org");
    assert.equal(none.status, 404);
    assert.deepEqual((await none.json()).tried.map((t) => [t.source, t.outcome]), [
      ["wkd_advanced", "not_found"],
      ["wkd_direct", "not_found"],
    ]);
    assert.equal((await get("/v1/lookup?address=not-an-address")).status, 400);
    assert.equal((await get("/v1/lookup?address=joe@127.0.0.1")).status, 400);
  });

  test("revocation: a CRL forwarded as it came", async () => {
    const res = await get(`/v1/revocation?url=${encodeURIComponent(CRL_URL)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pkix-crl");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), CRL);
  });

  test("revocation: other schemes, address literals, local names, credentials, redirects, slow and oversized answers are refused", async () => {
    const before = fetched.length;
    for (const url of [
      "ftp://crl.example.net/ca.crl",
      "file:///etc/passwd",
      "http://127.0.0.1/ca.crl",
      "http://10.0.0.1/ca.crl",
      "http://[::1]/ca.crl",
      "http://localhost:8080/ca.crl",
      // The same local names with a trailing dot, full-width or percent-encoded (web sweep 15).
      "http://localhost./ca.crl",
      "http://foo.localhost.:2375/containers/json",
      "http://LOCALHOST%2e/ca.crl",
      "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54./ca.crl",
      "http://printer.local/ca.crl",
      "http://metadata.internal/ca.crl",
      "http://0x7f000001/ca.crl",
      // A public name, but another port than the scheme's: a service behind the name.
      "http://crl.example.net:6379/",
      "https://crl.example.net:8443/ca.crl",
      "http://intranet/ca.crl",
      "http://user:pw@crl.example.net/ca.crl",
      "not a url",
    ]) {
      const res = await get(`/v1/revocation?url=${encodeURIComponent(url)}`);
      assert.equal(res.status, 400, url);
      assert.equal((await res.json()).error, "bad_input", url);
    }
    assert.equal(fetched.length, before, "none of them was fetched");
    // kind names an own kind only: not a name Object.prototype lends.
    for (const kind of ["__proto__", "toString", "constructor"]) {
      const res = await get(`/v1/revocation?url=${encodeURIComponent(CRL_URL)}&kind=${kind}`);
      assert.equal(res.status, 400, kind);
    }
    const moved = await get(`/v1/revocation?url=${encodeURIComponent("http://crl.example.net/moved.crl")}`);
    assert.equal(moved.status, 502, "a redirect is not followed");
    assert.ok(!fetched.includes("http://10.0.0.1/x"));
    const t0 = Date.now();
    const slow = await get(`/v1/revocation?url=${encodeURIComponent("http://crl.example.net/slow.crl")}`);
    assert.equal(slow.status, 504, "a slow answer is given up on");
    assert.ok(Date.now() - t0 < 2500, `gave up after ${Date.now() - t0} ms`);
    const huge = await get(`/v1/revocation?url=${encodeURIComponent("http://crl.example.net/huge.crl")}`);
    assert.equal(huge.status, 502);
    assert.equal((await huge.json()).error, "too_large");
  });
});
