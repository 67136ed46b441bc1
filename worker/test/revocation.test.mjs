// Revocation in the Worker (issue 14): the package names the CRLs to fetch, the worker fetches
// them (CRL_FETCH = "on") and the package judges them. A customer whose certificate the CA
// revoked is not encrypted to; with the CRL server down, nothing changes (soft-fail) and the
// failure is logged; without CRL_FETCH the worker fetches nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeRevokingCa } from "../../tests/js/crl-ca.mjs";
import { TOKEN, eventsOf, have, sealedServiceKeyring, startWorker } from "./harness.mjs";

const CRL_URL = "http://crl.example.net/customer-ca.crl";
const CUSTOMER = "carol@example.net";
const auth = { authorization: `Bearer ${TOKEN}` };
const notification =
  "From: Support Desk <support@example.com>\r\n" +
  `To: ${CUSTOMER}\r\n` +
  "Subject: Ticket #77\r\nMessage-ID: <n-77@desk.example.com>\r\n" +
  "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n" +
  "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSolved.\r\n";

describe("CRLs fetched by the worker", () => {
  let pki;
  const workers = [];
  before((t) => {
    if (!have("openssl", t)) return;
    pki = makeRevokingCa({ email: CUSTOMER, url: CRL_URL });
  });
  after(() => Promise.all(workers.map((w) => w.dispose())));

  /** A worker whose keyring has the customer's CA (trusted) and certificate. */
  async function worker(vars, outbound) {
    const sealed = sealedServiceKeyring(undefined, [
      [pki.ca, { trusted: true }],
      [pki.cert, {}],
    ]);
    const fetched = [];
    const w = await startWorker({
      vars,
      sealed,
      outbound: (req) => {
        fetched.push(req.url);
        return outbound(req);
      },
    });
    workers.push(w);
    const protect = () =>
      w.fetch("/v1/protect?fallback=block&method=smime", { method: "POST", body: notification, headers: auth });
    const events = (name) => eventsOf(w, name);
    return { protect, fetched, events };
  }

  test("CRL_FETCH on: the CA's CRL is fetched once and the revoked customer is refused", async (t) => {
    if (!have("openssl", t)) return;
    const w = await worker({ CRL_FETCH: "on" }, (req) => new Response(req.url === CRL_URL ? pki.crl : "", { status: req.url === CRL_URL ? 200 : 404 }));
    const res = await w.protect();
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.equal(body.error, "recipient_key_missing");
    assert.match(body.message, /revoked/);
    assert.deepEqual(w.fetched, [CRL_URL]);
    assert.deepEqual(w.events("crl_imported").map((e) => [e.url, e.revoked]), [[CRL_URL, 1]]);
    // Held now (fresh until its nextUpdate): the next request fetches nothing.
    assert.equal((await w.protect()).status, 422);
    assert.deepEqual(w.fetched, [CRL_URL]);
  });

  test("CRL server down: soft-fail, logged, not retried at once", async (t) => {
    if (!have("openssl", t)) return;
    const w = await worker({ CRL_FETCH: "on" }, () => new Response("down", { status: 503 }));
    const res = await w.protect();
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).deliveries[0].encrypted, true);
    assert.deepEqual(w.events("crl_fetch_failed").map((e) => [e.url, e.code]), [[CRL_URL, "http_503"]]);
    await w.protect();
    assert.deepEqual(w.fetched, [CRL_URL], "retried only after CRL_RETRY_MINUTES");
  });

  test("without CRL_FETCH the worker fetches nothing", async (t) => {
    if (!have("openssl", t)) return;
    const w = await worker({}, () => new Response(pki.crl));
    assert.equal((await w.protect()).status, 200);
    assert.deepEqual(w.fetched, []);
  });
});
