// Revocation by CRL through the package (issue 14): a CA made by openssl at test time issues
// Bob a certificate with a CRL distribution point, then revokes it. The keyring names the CRL
// to fetch (revocationRequests), the host hands it over (importCrl), and from then on nothing
// is encrypted to Bob, his key is listed as revoked, and the sealed keyring keeps the CRL.
// The clock is the machine's: `openssl req -x509` dates its certificates from it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring, protect } from "mailseal";
import { makeRevokingCa } from "./crl-ca.mjs";
import { have, rejectsCode, throwsCode } from "./helpers.mjs";

const CRL_URL = "http://crl.example.org/js-ca.crl";
const makeCa = () => makeRevokingCa({ email: "bob@example.org", url: CRL_URL });

describe("certificate revocation lists", () => {
  test("revocationRequests → importCrl: a revoked certificate is no longer used, and says so", async (t) => {
    if (!have("openssl", t)) return;
    const { ca, cert: bob, crl } = makeCa();
    const ring = new Keyring();
    ring.import(ca, { trusted: true });
    ring.import(bob);
    const draft = { from: "desk@example.org", to: ["bob@example.org"], subject: "s", text: "t" };
    const toBob = () => protect(ring, draft, { sign: false, encrypt: true, method: "smime" });

    const [request, ...more] = ring.revocationRequests();
    assert.deepEqual(more, []);
    assert.equal(request.url, CRL_URL);
    assert.equal(request.reason, "missing");
    assert.match(request.issuer, /JS Test CA/);
    assert.equal((await toBob()).deliveries[0].encrypted, true);

    const info = ring.importCrl(crl);
    assert.equal(info.revoked, 1);
    assert.equal(info.stale, false);
    assert.match(info.issuer, /JS Test CA/);
    assert.deepEqual(ring.revocationRequests(), [], "fresh: nothing to fetch");
    const e = await rejectsCode(toBob, "recipient_key_missing");
    assert.match(e.message, /revoked/);
    assert.equal(ring.list().find((k) => k.emails.includes("bob@example.org")).status, "revoked");
    assert.ok(ring.recentLog().some((ev) => ev.action === "import_crl" && ev.outcome === "ok"));

    const again = Keyring.unseal(ring.seal("pass phrase"), "pass phrase");
    assert.equal(again.crls().length, 1);
    assert.equal(again.list().find((k) => k.emails.includes("bob@example.org")).status, "revoked");
  });

  test("what is not a CRL of a CA in the keyring is refused with a code", (t) => {
    if (!have("openssl", t)) return;
    const { ca, crl } = makeCa();
    throwsCode(() => new Keyring().importCrl(crl), "certificate_missing");
    const ring = new Keyring();
    ring.import(ca, { trusted: true });
    throwsCode(() => ring.importCrl(new TextEncoder().encode("not a CRL")), "unsupported_format");
    throwsCode(() => ring.importCrl(42), "bad_input");
    assert.ok(ring.recentLog().some((ev) => ev.action === "import_crl" && ev.outcome === "error"));
  });
});
