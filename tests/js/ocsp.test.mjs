// Revocation of S/MIME signers in Node (issue 14): `open` says what to fetch
// (opened.revocationRequests), the host fetches it with Node's fetch, `importRevocation` judges
// the answer, and `open` again reports the verdict. Everything real: a CA made by `openssl ca`
// now, a delegated responder (OCSPSigning), `openssl ocsp -index ... -port` on loopback named by
// the certificates' authorityInfoAccess, messages signed by `openssl cms -sign`, and a CRL
// served by a small local HTTP server for a certificate that names only a distribution point.
// OCSP answers carry the machine's clock, so everything is judged with the real clock.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { Keyring, open } from "mailseal";
import { freePort, makeOcspPki, startResponder } from "./ocsp-ca.mjs";
import { have, throwsCode } from "./helpers.mjs";

const OPENSSL = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

const DESK = "desk@example.com";

/** What a Node host does: fetch each request `open` names, import what came, open again. */
async function openChecked(ring, raw, opts) {
  const first = await open(ring, raw, opts);
  const fetched = [];
  for (const request of first.revocationRequests ?? []) {
    try {
      const res = await fetch(request.url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const imported = ring.importRevocation(request, new Uint8Array(await res.arrayBuffer()));
      fetched.push({ kind: request.kind, imported });
    } catch (e) {
      fetched.push({ kind: request.kind, error: e?.code ?? e?.cause?.code ?? e?.name });
    }
  }
  return { first, opened: fetched.some((f) => f.imported) ? await open(ring, raw, opts) : first, fetched };
}

describe("OCSP and CRL checks of S/MIME signers (openssl responder on loopback)", () => {
  let pki;
  let responder;
  let crlServer;
  let deadPki; // certificates naming a responder on a port where nothing listens
  const served = [];

  before(async () => {
    if (!OPENSSL) return; // each test then skips, or fails under CI (have)
    const port = await freePort();
    crlServer = createServer((req, res) => {
      served.push(req.url);
      if (req.url !== "/ca.crl") return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/pkix-crl" }).end(pki.crlDer);
    });
    await new Promise((resolve) => crlServer.listen(0, "127.0.0.1", resolve));
    pki = makeOcspPki({
      ocspUrl: `http://127.0.0.1:${port}/`,
      crlUrl: `http://127.0.0.1:${crlServer.address().port}/ca.crl`,
      people: [
        { name: "good", email: "good@example.net", ocsp: true },
        { name: "revoked", email: "revoked@example.net", ocsp: true, revoked: true },
        { name: "crlonly", email: "crlonly@example.net", crl: true, revoked: true },
      ],
    });
    responder = await startResponder(pki, port);
    deadPki = makeOcspPki({
      ocspUrl: `http://127.0.0.1:${await freePort()}/`,
      people: [{ name: "nobody", email: "nobody@example.net", ocsp: true }],
    });
  });

  after(async () => {
    await responder?.stop();
    crlServer?.closeAllConnections();
    await new Promise((resolve) => (crlServer ? crlServer.close(resolve) : resolve()));
    pki?.cleanup();
    deadPki?.cleanup();
  });

  const ringFor = (p) => {
    const ring = new Keyring();
    ring.import(p.ca, { trusted: true });
    return ring;
  };
  const message = (p, who) => p.signed(who, { from: `${who}@example.net`, to: DESK });

  test("a good certificate: valid, revocation good after the responder answered", async (t) => {
    if (!have("openssl", t)) return;
    const ring = ringFor(pki);
    const { first, opened, fetched } = await openChecked(ring, message(pki, "good"));
    assert.equal(first.signature.state, "valid");
    assert.equal(first.signature.revocation, "unchecked");
    const [request, ...more] = first.revocationRequests;
    assert.deepEqual(more, []);
    assert.equal(request.kind, "ocsp");
    assert.ok(request.url.startsWith(`http://127.0.0.1:${responder.port}/`), request.url);
    assert.match(request.issuer, /OCSP Test CA/);
    assert.ok(request.body instanceof Uint8Array && request.body.length > 0, "the DER request for POST");
    assert.deepEqual(fetched.map((f) => [f.kind, f.imported?.kind, f.imported?.ocsp?.map((s) => s.status)]), [["ocsp", "ocsp", ["good"]]]);
    assert.equal(opened.signature.state, "valid");
    assert.equal(opened.signature.revocation, "good");
    assert.deepEqual(opened.revocationRequests ?? [], []);
    assert.deepEqual(ring.ocspStatuses().map((s) => s.status), ["good"]);
    assert.ok(responder.log.join("").includes("Received request"), "openssl's responder answered it");
  });

  test("a certificate the responder says is revoked: revoked, with the CA's reason", async (t) => {
    if (!have("openssl", t)) return;
    const ring = ringFor(pki);
    const { first, opened, fetched } = await openChecked(ring, message(pki, "revoked"));
    assert.equal(first.signature.state, "valid", "not known yet: soft-fail");
    assert.equal(first.signature.revocation, "unchecked");
    assert.deepEqual(fetched.map((f) => f.imported?.ocsp?.[0]?.status), ["revoked"]);
    assert.equal(opened.signature.state, "revoked");
    assert.match(opened.signature.detail, /revoked/);
    assert.match(opened.signature.detail, /key compromise/);
  });

  test("a certificate that names only a CRL: the CRL fetched from a local server makes it revoked", async (t) => {
    if (!have("openssl", t)) return;
    const ring = ringFor(pki);
    served.length = 0;
    const { first, opened, fetched } = await openChecked(ring, message(pki, "crlonly"));
    assert.equal(first.signature.revocation, "unchecked");
    assert.deepEqual(first.revocationRequests.map((q) => [q.kind, new URL(q.url).pathname]), [["crl", "/ca.crl"]]);
    assert.deepEqual(served, ["/ca.crl"]);
    assert.equal(fetched[0].imported.kind, "crl");
    assert.equal(fetched[0].imported.crl.revoked, 2, "revoked@ and crlonly@");
    assert.equal(opened.signature.state, "revoked");
    assert.match(opened.signature.detail, /key compromise/);
  });

  test("responder unreachable: the policy decides (pass: valid, warn: valid + warning, block: untrusted)", async (t) => {
    if (!have("openssl", t)) return;
    const raw = message(deadPki, "nobody");
    const ring = ringFor(deadPki);
    const pass = await openChecked(ring, raw);
    assert.equal(pass.fetched.length, 1);
    assert.ok(pass.fetched[0].error, "the fetch failed");
    assert.equal(pass.opened.signature.state, "valid");
    assert.equal(pass.opened.signature.revocation, "unchecked");
    assert.deepEqual(pass.opened.warnings, []);

    const warn = await openChecked(ring, raw, { uncheckedRevocation: "warn" });
    assert.equal(warn.opened.signature.state, "valid");
    assert.equal(warn.opened.signature.revocation, "unchecked");
    assert.equal(warn.opened.warnings.length, 1);
    assert.equal(warn.opened.warnings[0].code, "revocation_unchecked");
    assert.match(warn.opened.warnings[0].message, /revo/i);

    const block = await openChecked(ring, raw, { uncheckedRevocation: "block" });
    assert.equal(block.opened.signature.state, "untrusted");
    assert.match(block.opened.signature.detail, /revo/i);

    // The same through the stored policy.
    ring.setPolicy({ uncheckedRevocation: "block" });
    assert.equal((await openChecked(ring, raw)).opened.signature.state, "untrusted");
    ring.setPolicy({ uncheckedRevocation: "warn" });
    assert.equal((await openChecked(ring, raw)).opened.warnings.length, 1);
  });

  test("the responder stopped after answering once: a fresh keyring follows the policy again", async (t) => {
    if (!have("openssl", t)) return;
    const port = await freePort();
    const p = makeOcspPki({ ocspUrl: `http://127.0.0.1:${port}/`, people: [{ name: "later", email: "later@example.net", ocsp: true }] });
    try {
      const r = await startResponder(p, port);
      const raw = message(p, "later");
      assert.equal((await openChecked(ringFor(p), raw)).opened.signature.revocation, "good");
      await r.stop();
      const down = await openChecked(ringFor(p), raw, { uncheckedRevocation: "block" });
      assert.equal(down.fetched[0].error !== undefined, true, "nothing answers now");
      assert.equal(down.opened.signature.state, "untrusted");
    } finally {
      p.cleanup();
    }
  });

  test("a forged answer (one byte flipped) is refused with bad_input and changes nothing", async (t) => {
    if (!have("openssl", t)) return;
    const ring = ringFor(pki);
    const raw = message(pki, "revoked");
    const first = await open(ring, raw);
    const [request] = first.revocationRequests;
    const answer = new Uint8Array(await (await fetch(request.url)).arrayBuffer());
    // A digit of the first GeneralizedTime (producedAt, inside the signed ResponseData): still
    // a well-formed answer, no longer the one the responder signed.
    const at = Buffer.from(answer).indexOf(Buffer.from([0x18, 0x0f])) + 2 + 13;
    assert.ok(at > 15, "producedAt found");
    const forged = answer.slice();
    forged[at] ^= 1;
    throwsCode(() => ring.importRevocation(request, forged), "bad_input", "forged OCSP answer");
    assert.deepEqual(ring.ocspStatuses(), []);
    const again = await open(ring, raw);
    assert.equal(again.signature.state, "valid");
    assert.equal(again.signature.revocation, "unchecked");
    // The genuine answer still counts afterwards.
    assert.equal(ring.importRevocation(request, answer).ocsp[0].status, "revoked");
    assert.equal((await open(ring, raw)).signature.state, "revoked");
  });
});
