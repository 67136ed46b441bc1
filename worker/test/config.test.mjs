// Keyring sources and configuration faults: the sealed keyring as a secret instead of KV; a
// wrong unseal password is a 500 with no content, and inbound mail is refused, not crashed on.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Keyring } from "mailseal";
import { TOKEN, eventsOf, repoFile, sealedServiceKeyring, startWorker } from "./harness.mjs";

/** Asserts /v1/health is ready, then protects a mail (Message-ID <ID@example.com>) with
 * encrypt=false; the deliveries. */
async function healthyThenProtectSignedOnly(w, id) {
  const health = await w.fetch("/v1/health");
  assert.equal(health.status, 200);
  assert.equal((await health.json()).ready, true);
  const res = await w.fetch("/v1/protect?encrypt=false", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: `From: support@example.com\r\nTo: anyone@example.net\r\nSubject: s\r\nMessage-ID: <${id}@example.com>\r\n\r\nSigned only.\r\n`,
  });
  assert.equal(res.status, 200);
  return (await res.json()).deliveries;
}

describe("sealed keyring as the KEYRING_SEALED secret (no KV entry)", () => {
  let w;
  before(async () => {
    const sealed = Buffer.from(sealedServiceKeyring()).toString("base64");
    // HELPDESK_ADDRESS differs from INBOUND_RELAY's destination_address: the relay refuses.
    w = await startWorker({ sealed: null, secrets: { KEYRING_SEALED: sealed }, vars: { HELPDESK_ADDRESS: "other-inbox@example.net" } });
  });
  after(() => w?.dispose());

  test("health and protect work from the secret", async () => {
    const [d] = await healthyThenProtectSignedOnly(w, "c1");
    assert.ok(d.signed && !d.encrypted);
  });

  test("a refused decrypted copy falls back to forwarding the original with the report", async () => {
    const mail = Buffer.concat([
      Buffer.from("From: alice@example.com\r\nTo: bob@example.com\r\nSubject: s\r\nMessage-ID: <c3@example.com>\r\n"),
      repoFile("smime/signed-enc-bob.eml"),
    ]);
    const res = await w.email("alice@example.com", "bob@example.com", mail);
    assert.equal(res.status, 200);
    assert.equal(w.sent().length, 0);
    const fwd = w.forwarded().at(-1);
    assert.equal(fwd.rcptTo, "other-inbox@example.net");
    assert.match(fwd.headers["x-mailseal-encryption"], /^decrypted; method=smime/);
    assert.match(fwd.headers["x-mailseal-signature"], /^valid/);
    assert.equal(fwd.headers["x-mailseal-note"], "decrypted copy not sent: relay_failed");
  });
});

describe("a keyring sealed under a random key (KEYRING_KEY, no Argon2)", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  let w;
  before(async () => {
    w = await startWorker({
      sealed: sealedServiceKeyring(key),
      secrets: { KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined },
    });
  });
  after(() => w?.dispose());

  test("the worker opens it and works", async () => {
    assert.ok((await healthyThenProtectSignedOnly(w, "k1"))[0].signed);
  });
});

describe("KEYRING_SEALED under KEYRING_KEY: opened while the isolate starts", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const secrets = { KEYRING_SEALED: Buffer.from(sealedServiceKeyring(key)).toString("base64"), KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined };
  let w;
  before(async () => {
    w = await startWorker({ sealed: null, secrets });
  });
  after(() => w?.dispose());

  test("the first request finds it open: one unseal, at startup, and the keys work", async () => {
    const [d] = await healthyThenProtectSignedOnly(w, "st1");
    assert.ok(d.signed && !d.encrypted);
    const [again] = await healthyThenProtectSignedOnly(w, "st2");
    assert.ok(again.signed);
    // A request that unseals logs its milliseconds; the top level logs where it ran.
    assert.deepEqual(eventsOf(w, "keyring_unsealed"), [{ event: "keyring_unsealed", at: "startup" }]);
  });
});

describe("KEYRING_SEALED under KEYRING_KEY, but a keyring in KV too", () => {
  // KV comes first (sealedKeyring): the keyring opened at startup from the secret is not used.
  const key = crypto.getRandomValues(new Uint8Array(32));
  const empty = new Keyring();
  const emptySealed = empty.sealWithKey(key);
  empty.free();
  let w;
  before(async () => {
    w = await startWorker({
      sealed: sealedServiceKeyring(key),
      secrets: { KEYRING_SEALED: Buffer.from(emptySealed).toString("base64"), KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined },
    });
  });
  after(() => w?.dispose());

  test("the request opens the keyring from KV and signs with its keys", async () => {
    const [d] = await healthyThenProtectSignedOnly(w, "st3");
    assert.ok(d.signed, "signed with the service key from KV; the empty keyring from the secret has none");
    const unsealed = eventsOf(w, "keyring_unsealed");
    assert.equal(unsealed.length, 2);
    assert.equal(unsealed[0].at, "startup", "the secret's keyring, at startup");
    assert.equal(typeof unsealed[1].ms, "number", "the KV keyring, unsealed by the request");
  });
});

describe("a wrong KEYRING_KEY", () => {
  let w;
  before(async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const other = crypto.getRandomValues(new Uint8Array(32));
    w = await startWorker({ sealed: sealedServiceKeyring(key), secrets: { KEYRING_KEY: Buffer.from(other).toString("base64") } });
  });
  after(() => w?.dispose());

  test("500 config bad_password, nothing else; the reason only with the token", async () => {
    const res = await w.fetch("/v1/health", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 500);
    const json = await res.json();
    assert.equal(json.error, "config");
    assert.match(json.message, /could not be opened \(bad_password\)/);
    const probe = await w.fetch("/v1/health");
    assert.equal(probe.status, 500);
    assert.deepEqual(await probe.json(), { ready: false, error: "config" });
  });
});

describe("a wrong unseal password", () => {
  let w;
  before(async () => {
    w = await startWorker({ secrets: { KEYRING_PASSWORD: "not the password" } });
  });
  after(() => w?.dispose());

  test("HTTP: 500 with a code and no content; the token is still checked first", async () => {
    const body = "From: support@example.com\r\nTo: a@example.net\r\nSubject: Secret plan\r\n\r\nSecret plan text\r\n";
    assert.equal((await w.fetch("/v1/protect", { method: "POST", body })).status, 401);
    const res = await w.fetch("/v1/protect", { method: "POST", body, headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 500);
    const json = await res.json();
    assert.equal(json.error, "config");
    assert.match(json.message, /could not be opened \(bad_password\)/);
    const t0 = Date.now();
    assert.equal((await w.fetch("/v1/health")).status, 500);
    assert.ok(Date.now() - t0 < 500, "the failed unseal is remembered, not retried per request");
    assert.ok(!(w.stdio.join("") + JSON.stringify(json)).includes("Secret plan"));
    assert.ok(!w.stdio.join("").includes("not the password"));
  });

  test("inbound: the message is forwarded unopened with the error, not lost", async () => {
    const mail = "From: a@example.net\r\nTo: support@example.com\r\nSubject: s\r\nMessage-ID: <c2@example.net>\r\n\r\nhello\r\n";
    const res = await w.email("a@example.net", "support@example.com", mail);
    assert.equal(res.status, 200);
    const fwd = w.forwarded().at(-1);
    assert.equal(fwd.headers["x-mailseal-error"], "config");
  });
});
