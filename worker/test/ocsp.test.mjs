// Revocation of S/MIME signers in the Worker (issue 14): when the worker opens mail (inbound
// email, POST /v1/open) and `open` names what to fetch (opened.revocationRequests), the worker
// fetches it (REVOCATION_FETCH = "on") through its guarded fetch, importRevocation judges it,
// and the message is opened again. Everything real: a CA made by `openssl ca` now, a delegated
// responder (OCSPSigning), and `openssl ocsp -index ... -port` on loopback. The certificates
// name public-looking hosts (http://ocsp.example.net/, http://crl.example.net/...), which the
// worker is allowed to fetch; Miniflare's outbound hook is the one place where they become
// 127.0.0.1. Unreachable: http://ocsp-down.example.net/ goes to a loopback port nothing listens on.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { freePort, makeOcspPki, startResponder } from "../../tests/js/ocsp-ca.mjs";
import { SERVICE, TOKEN, eventsOf, have, sealedServiceKeyring, startWorker } from "./harness.mjs";

const OPENSSL = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;
const OCSP_URL = "http://ocsp.example.net/";
const DOWN_URL = "http://ocsp-down.example.net/";
const CRL_URL = "http://crl.example.net/ocsp-ca.crl";
const DESK = SERVICE[0]; // support@example.com
const auth = { authorization: `Bearer ${TOKEN}` };

describe("OCSP and CRL checks when the worker opens mail", () => {
  let pki;
  let responder;
  let closedPort;
  const workers = [];

  before(async () => {
    if (!OPENSSL) return; // each test skips then, or fails under CI (have)
    const port = await freePort();
    pki = makeOcspPki({
      ocspUrl: OCSP_URL,
      crlUrl: CRL_URL,
      people: [
        { name: "good", email: "good@example.net", ocsp: true },
        { name: "revoked", email: "revoked@example.net", ocsp: true, revoked: true },
        { name: "crlonly", email: "crlonly@example.net", crl: true, revoked: true },
        { name: "dark", email: "dark@example.net", ocsp: true, ocspUrl: DOWN_URL },
      ],
    });
    responder = await startResponder(pki, port);
    closedPort = await freePort(); // while the responder holds its port: never the same one
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await responder?.stop();
    pki?.cleanup();
  });

  /** A worker whose keyring trusts the test CA; its fetches reach the responder on loopback. */
  async function worker(vars) {
    const fetched = [];
    const w = await startWorker({
      vars,
      sealed: sealedServiceKeyring(undefined, [[pki.ca, { trusted: true }]]),
      outbound: async (req) => {
        const u = new URL(req.url);
        fetched.push(u.host === "crl.example.net" ? `${u.host}${u.pathname}` : u.host);
        if (u.host === "ocsp.example.net") {
          const r = await fetch(`http://127.0.0.1:${responder.port}${u.pathname}${u.search}`);
          return new Response(await r.arrayBuffer(), { status: r.status, headers: { "content-type": r.headers.get("content-type") ?? "" } });
        }
        if (u.host === "ocsp-down.example.net") return fetch(`http://127.0.0.1:${closedPort}${u.pathname}`); // refused: throws
        if (u.href === CRL_URL) return new Response(pki.crlDer, { headers: { "content-type": "application/pkix-crl" } });
        return new Response("not found", { status: 404 });
      },
    });
    workers.push(w);
    const events = (name) => eventsOf(w, name);
    /** POST /v1/open of a message `who` signed; the JSON report. */
    const openAs = async (who) => {
      const res = await w.fetch("/v1/open", { method: "POST", body: signed(who), headers: auth });
      assert.equal(res.status, 200, await res.clone().text());
      return res.json();
    };
    /** Inbound mail from `who` to the desk; the headers the help desk got. */
    const inbound = async (who) => {
      const before = w.forwarded().length;
      const res = await w.email(`${who}@example.net`, DESK, signed(who));
      assert.equal(res.status, 200, await res.clone().text());
      const all = w.forwarded();
      assert.equal(all.length, before + 1, "forwarded to the help desk");
      return all.at(-1).headers;
    };
    return { w, fetched, events, openAs, inbound };
  }

  let n = 0;
  /** A message `who` signed with openssl cms, with the Message-ID and Date that mail carries. */
  const signed = (who) => {
    const raw = pki.signed(who, { from: `${who}@example.net`, to: DESK, subject: `From ${who}` });
    const eol = raw.indexOf("\r\n") !== -1 && raw.indexOf("\r\n") < raw.indexOf("\n") + 1 ? "\r\n" : "\n";
    const head = `Message-ID: <ocsp-${who}-${++n}@example.net>${eol}Date: ${new Date().toUTCString()}${eol}`;
    return Buffer.concat([Buffer.from(head), raw]);
  };

  test("REVOCATION_FETCH on: good is valid (revocation good), revoked is revoked, by /v1/open and inbound mail", async (t) => {
    if (!have("openssl", t)) return;
    const { fetched, events, openAs, inbound } = await worker({ REVOCATION_FETCH: "on" });
    const good = await openAs("good");
    assert.equal(good.signature.state, "valid");
    assert.equal(good.signature.revocation, "good");
    assert.deepEqual(fetched, ["ocsp.example.net"]);
    assert.deepEqual(events("ocsp_imported").map((e) => e.statuses), [["good"]]);
    // Held in the isolate's keyring while current: not fetched again.
    assert.equal((await inbound("good"))["x-mailseal-signature"].split(";")[0], "valid");
    assert.equal(fetched.length, 1);

    const revoked = await openAs("revoked");
    assert.equal(revoked.signature.state, "revoked");
    assert.match(revoked.signature.detail, /key compromise/);
    const headers = await inbound("revoked");
    assert.match(headers["x-mailseal-signature"], /^revoked; method=smime/);
    assert.match(headers["x-mailseal-signature-detail"], /revoked by its certification authority/);
    assert.ok(responder.log.join("").includes("Received request"), "openssl's responder answered");
  });

  test("a certificate that names only a CRL: the worker fetches the CRL and reports revoked", async (t) => {
    if (!have("openssl", t)) return;
    const { fetched, events, inbound } = await worker({ REVOCATION_FETCH: "on" });
    const headers = await inbound("crlonly");
    assert.match(headers["x-mailseal-signature"], /^revoked;/);
    assert.deepEqual(fetched, ["crl.example.net/ocsp-ca.crl"]);
    assert.deepEqual(events("crl_imported").map((e) => [e.url, e.revoked]), [[CRL_URL, 2]]);
  });

  test("responder unreachable: UNCHECKED_REVOCATION decides (pass, warn, block); the failure is logged and not retried at once", async (t) => {
    if (!have("openssl", t)) return;
    const pass = await worker({ REVOCATION_FETCH: "on" });
    const passed = await pass.openAs("dark");
    assert.equal(passed.signature.state, "valid");
    assert.equal(passed.signature.revocation, "unchecked");
    assert.deepEqual(passed.warnings, []);
    assert.deepEqual(pass.events("ocsp_fetch_failed").map((e) => new URL(e.url).host), ["ocsp-down.example.net"]);
    assert.match((await pass.inbound("dark"))["x-mailseal-signature"], /^valid; .*revocation=unchecked/);
    assert.equal(pass.fetched.length, 1, "retried only after REVOCATION_RETRY_MINUTES");

    const warn = await worker({ REVOCATION_FETCH: "on", UNCHECKED_REVOCATION: "warn" });
    const warned = await warn.openAs("dark");
    assert.equal(warned.signature.state, "valid");
    assert.equal(warned.warnings.length, 1);
    assert.equal(warned.warnings[0].code, "revocation_unchecked");
    assert.match(warned.warnings[0].message, /revo/i);

    const block = await worker({ REVOCATION_FETCH: "on", UNCHECKED_REVOCATION: "block" });
    assert.equal((await block.openAs("dark")).signature.state, "untrusted");
    assert.match((await block.inbound("dark"))["x-mailseal-signature"], /^untrusted;/);
    // A reachable responder is still asked under block: good stays valid.
    const good = await block.openAs("good");
    assert.equal(good.signature.state, "valid");
    assert.equal(good.signature.revocation, "good");
  });

  test("without REVOCATION_FETCH nothing is fetched: soft-fail (or the policy's block)", async (t) => {
    if (!have("openssl", t)) return;
    const off = await worker({});
    const opened = await off.openAs("revoked");
    assert.equal(opened.signature.state, "valid");
    assert.equal(opened.signature.revocation, "unchecked");
    assert.deepEqual(off.fetched, []);
    const policy = await worker({ POLICY: JSON.stringify({ methodPriority: ["smime", "pgp"], fallback: "block", uncheckedRevocation: "block" }) });
    assert.equal((await policy.openAs("good")).signature.state, "untrusted", "POLICY's uncheckedRevocation");
    assert.deepEqual(policy.fetched, []);
  });

  test("GET /v1/revocation labels an OCSP answer application/ocsp-response, a CRL application/pkix-crl", async (t) => {
    if (!have("openssl", t)) return;
    const { w, openAs } = await worker({});
    const [request] = (await openAs("good")).revocationRequests;
    assert.equal(request.kind, "ocsp");
    assert.ok(request.url.startsWith(OCSP_URL), request.url);
    for (const query of [`url=${encodeURIComponent(request.url)}&kind=ocsp`, `url=${encodeURIComponent(request.url)}`]) {
      const res = await w.fetch(`/v1/revocation?${query}`, { headers: auth });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/ocsp-response", query);
      const der = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual([der[0], der[4]], [0x30, 0x0a], "an OCSPResponse");
    }
    const crl = await w.fetch(`/v1/revocation?url=${encodeURIComponent(CRL_URL)}`, { headers: auth });
    assert.equal(crl.headers.get("content-type"), "application/pkix-crl");
    assert.deepEqual(new Uint8Array(await crl.arrayBuffer()), new Uint8Array(pki.crlDer));
  });
});
