// The Worker as a member of a team (issue 16, docs/team.md): a team for support@example.org
// made in Node with the package (Alice's and Bob's keyrings, and the Worker's own, sealed under
// KEYRING_KEY), the bundle in KEYRING_KV (TEAM_BUNDLE_KV_KEY) or TEAM_BUNDLE. Mail to support@
// encrypted to the team's key is decrypted at the edge while the Worker is a member, and not
// after it is removed (logged as team_not_a_member); GET /v1/member gives the Worker's member
// key and seals it into the keyring in KV once.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Keyring, protect } from "mailseal";
import { SERVICE, TOKEN, headersOf, sealedServiceKeyring, startWorker, wranglerConfig } from "./harness.mjs";

const DESK = "support@example.org";
const CUSTOMER = "carla@example.net";
const TEAM_KEY = "team/support";
const auth = { authorization: `Bearer ${TOKEN}` };

/** The team's keyring with a new OpenPGP key for support@, and a customer who has its public key. */
function deskAndCustomer() {
  const desk = new Keyring();
  const made = desk.generateOpenPgp({ address: DESK, name: "Example Support" });
  const customer = new Keyring();
  customer.import(made.publicKey, { trusted: true });
  return { desk, customer };
}

async function mailToDesk(customer, subject, text) {
  const out = await protect(customer, { from: CUSTOMER, to: [DESK], subject, text, messageId: `<${subject.replace(/\W/g, "")}@example.net>` }, { sign: false, encrypt: true, method: "pgp" });
  return out.deliveries[0].mime;
}

describe("the Worker as a team member (bundle in KEYRING_KV, keyring under KEYRING_KEY)", () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const [alice, bob] = [new Keyring(), new Keyring()];
  const { desk, customer } = deskAndCustomer();
  let w;
  let kv;
  let workerMember;
  let bundle;

  before(async () => {
    w = await startWorker({
      sealed: sealedServiceKeyring(key),
      secrets: { KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined },
      vars: { SERVICE_ADDRESSES: [...SERVICE, DESK].join(", "), TEAM_BUNDLE_KV_KEY: TEAM_KEY, MEMBER_NAME: "Edge worker" },
    });
    kv = await w.mf.getKVNamespace(wranglerConfig().kv_namespaces[0].binding);
  });
  after(() => w?.dispose());

  test("GET /v1/member: the token; the member key is sealed into the keyring in KV once", async () => {
    assert.equal((await w.fetch("/v1/member")).status, 401);
    const before = new Uint8Array(await kv.get("keyring", "arrayBuffer"));
    const res = await w.fetch("/v1/member", { headers: auth });
    assert.equal(res.status, 200);
    workerMember = await res.json();
    assert.equal(workerMember.name, "Edge worker");
    assert.match(workerMember.id, /^[0-9a-f]{64}$/);
    const after1 = new Uint8Array(await kv.get("keyring", "arrayBuffer"));
    assert.notDeepEqual(after1, before, "the keyring with its member key was written back");
    // The sealed keyring in KV holds the same member key (what a new isolate will use).
    assert.equal(Keyring.unsealWithKey(after1, key).memberKey("Edge worker").id, workerMember.id);
    const again = await (await w.fetch("/v1/member", { headers: auth })).json();
    assert.equal(again.id, workerMember.id);
    assert.deepEqual(new Uint8Array(await kv.get("keyring", "arrayBuffer")), after1, "written once");
  });

  test("a member: mail to support@ is decrypted at the edge, inbound and /v1/open; health shows the team", async () => {
    alice.memberKey("Alice");
    bundle = alice.teamCreate(DESK, desk);
    bundle = alice.teamAddMember(bundle, bob.memberKey("Bob"));
    bundle = bob.teamAddMember(bundle, workerMember);
    await kv.put(TEAM_KEY, bundle);

    const mail = await mailToDesk(customer, "Help one", "It is on fire.\n");
    const res = await w.email(CUSTOMER, DESK, mail);
    assert.equal(res.status, 200, await res.text());
    const sent = w.sent();
    assert.equal(sent.length, 1, "a decrypted copy through INBOUND_RELAY");
    const h = headersOf(sent[0]);
    assert.match(h["x-mailseal-encryption"], /^decrypted; method=pgp/);
    assert.match(sent[0].toString("utf8"), /It is on fire\./);
    assert.ok(w.stdio.join("").includes('"event":"team_opened"'));

    const opened = await (await w.fetch("/v1/open", { method: "POST", headers: auth, body: mail })).json();
    assert.equal(opened.encryption.state, "decrypted");
    assert.equal(opened.text, "It is on fire.\n");

    const health = await (await w.fetch("/v1/health", { headers: auth })).json();
    assert.deepEqual(health.team, { address: DESK, member: true, members: ["Alice", "Bob", "Edge worker"], change: health.team.change, pinned: false });
    assert.ok(w.stdio.join("").includes('"event":"team_unpinned"'), "an unpinned team is logged");
    const desks = health.addresses.find((a) => a.address === DESK);
    assert.ok(desks.methods.some((m) => m.canDecrypt), "support@ decrypts through the team");
  });

  test("removed: the Worker says so in its log and decrypts nothing", async () => {
    const removed = alice.teamRemoveMember(bundle, workerMember.id);
    await kv.put(TEAM_KEY, removed);
    const mail = await mailToDesk(customer, "Help two", "Still on fire.\n");
    const sentBefore = w.sent().length;
    const res = await w.email(CUSTOMER, DESK, mail);
    assert.equal(res.status, 200);
    assert.equal(w.sent().length, sentBefore, "no decrypted copy");
    const fwd = w.forwarded().at(-1);
    assert.match(fwd.headers["x-mailseal-encryption"], /^no_key/);
    assert.ok(w.stdio.join("").includes('"event":"team_not_a_member"'), "logged");
    const opened = await (await w.fetch("/v1/open", { method: "POST", headers: auth, body: mail })).json();
    assert.equal(opened.encryption.state, "no_key");
    assert.equal(opened.text ?? "", "");
    const health = await (await w.fetch("/v1/health", { headers: auth })).json();
    assert.deepEqual(health.team, { member: false, error: "not_a_member", pinned: false });
    assert.ok(!(w.stdio.join("") + w.logs.join("\n")).includes("Still on fire"), "no content in the logs");
  });
});

describe("TEAM_BUNDLE (base64) and a keyring sealed as a secret", () => {
  test("the member key made before sealing: decrypted; without one, /v1/member refuses to make an unsealed key", async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const { desk, customer } = deskAndCustomer();
    const edge = new Keyring();
    const member = edge.memberKey("Worker"); // the admin's one-time step, before sealing
    const alice = new Keyring();
    alice.memberKey("Alice");
    let bundle = alice.teamCreate(DESK, desk);
    bundle = alice.teamAddMember(bundle, member);
    const pin = alice.teamOpen(bundle).pin;
    // Someone who can write TEAM_BUNDLE makes a team of the same address with the Worker in it
    // and keys of their own: with TEAM_PIN the Worker refuses it (key sweep).
    const mallory = new Keyring();
    mallory.memberKey("Mallory");
    const forged = mallory.teamAddMember(mallory.teamCreate(DESK, deskAndCustomer().desk), member);
    const secrets = (b) => ({ KEYRING_SEALED: Buffer.from(edge.sealWithKey(key)).toString("base64"), KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined, TEAM_BUNDLE: Buffer.from(b).toString("base64"), TEAM_PIN: pin });
    const w = await startWorker({ sealed: null, secrets: secrets(bundle), vars: { SERVICE_ADDRESSES: DESK } });
    const mail = await mailToDesk(customer, "Help three", "Hello.\n");
    try {
      assert.equal((await (await w.fetch("/v1/member", { headers: auth })).json()).id, member.id);
      const opened = await (await w.fetch("/v1/open", { method: "POST", headers: auth, body: mail })).json();
      assert.equal(opened.encryption.state, "decrypted");
      const health = await (await w.fetch("/v1/health", { headers: auth })).json();
      assert.equal(health.team.pinned, true);
    } finally {
      await w.dispose();
    }
    const fooled = await startWorker({ sealed: null, secrets: secrets(forged), vars: { SERVICE_ADDRESSES: DESK } });
    try {
      const opened = await (await fooled.fetch("/v1/open", { method: "POST", headers: auth, body: mail })).json();
      assert.equal(opened.encryption.state, "no_key");
      const health = await (await fooled.fetch("/v1/health", { headers: auth })).json();
      assert.deepEqual(health.team, { member: false, error: "team_refused", pinned: true });
    } finally {
      await fooled.dispose();
    }
    const bare = await startWorker({
      sealed: null,
      secrets: { KEYRING_SEALED: Buffer.from(new Keyring().sealWithKey(key)).toString("base64"), KEYRING_KEY: Buffer.from(key).toString("base64"), KEYRING_PASSWORD: undefined },
      vars: { SERVICE_ADDRESSES: DESK },
    });
    try {
      const res = await bare.fetch("/v1/member", { headers: auth });
      assert.equal(res.status, 409);
      assert.equal((await res.json()).error, "member_key_not_sealed");
    } finally {
      await bare.dispose();
    }
  });
});
