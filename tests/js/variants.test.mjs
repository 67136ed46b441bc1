// "mailseal/smime" and "mailseal/openpgp": the one-standard builds of the same API, imported by
// their package subpaths as a help desk that uses one standard would. Each must work for its
// own standard (protect → open with the fixtures openssl / gpg made), and be honest about the
// other one: its keys are refused with `standard_not_enabled`, its messages are never shown as
// protected or valid, capabilities say it is unavailable, and a keyring sealed by the full
// build passes through without losing the other standard's keys.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as full from "mailseal";
import * as smimeOnly from "mailseal/smime";
import * as openpgpOnly from "mailseal/openpgp";
import { fixture, rejectsCode, throwsCode } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");
const PASSWORD = "correct horse battery staple";
const byId = (list) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
const text = (bytes) => Buffer.from(bytes).toString("latin1");

function ringOf(pkg, ...files) {
  const ring = new pkg.Keyring();
  for (const f of files) {
    // The S/MIME root is the trust anchor; OpenPGP keys are verified by the admin.
    const trusted = f.endsWith("root-ca.crt") || f.startsWith("openpgp/");
    ring.import(fixture(f), { now, trusted });
  }
  return ring;
}

const smimeKeys = {
  alice: ["smime/root-ca.crt", "smime/int-ca.crt", "smime/alice.crt", "smime/alice.key", "smime/bob.crt"],
  bob: ["smime/root-ca.crt", "smime/int-ca.crt", "smime/bob.crt", "smime/bob.key", "smime/alice.crt"],
};
const pgpKeys = {
  alice: ["openpgp/alice.sec.asc", "openpgp/bob.pub.asc"],
  bob: ["openpgp/bob.sec.asc", "openpgp/alice.pub.asc"],
};

function draft(from, to) {
  return { from, to: [to], subject: "Ticket #7", text: "Your ticket is solved.\n", messageId: "7@desk.example" };
}

/** Sign + encrypt from alice to bob with `pkg`, open as bob: decrypted, valid, readable. */
async function roundTrip(pkg, keys, from, to, method) {
  const out = await pkg.protect(ringOf(pkg, ...keys.alice), draft(from, to), { sign: true, encrypt: true, now });
  assert.equal(out.deliveries.length, 1);
  const [d] = out.deliveries;
  assert.equal(d.method, method);
  assert.ok(d.signed && d.encrypted && !d.problemReport);
  assert.ok(!text(d.mime).includes("solved"), "no plaintext outside");
  const opened = await pkg.open(ringOf(pkg, ...keys.bob), d.mime, { now });
  assert.equal(opened.encryption.state, "decrypted");
  assert.equal(opened.encryption.method, method);
  assert.equal(opened.signature.state, "valid", opened.signature.detail);
  assert.equal(opened.signature.method, method);
  assert.match(opened.text, /Your ticket is solved\./);
}

const variants = [
  {
    name: "mailseal/smime",
    pkg: smimeOnly,
    has: "smime",
    lacks: "pgp",
    lacksName: "OpenPGP",
    ownRoundTrip: () => roundTrip(smimeOnly, smimeKeys, "alice@example.com", "bob@example.com", "smime"),
    ownKeys: smimeKeys,
    ownSender: "alice@example.com",
    // Keys of the other standard, as files come: armored and binary, public and secret.
    otherKeys: ["openpgp/alice.pub.asc", "openpgp/alice.sec.asc", "keys/pgp-rsa.pub.gpg", "keys/pgp-keyring.asc"],
    // Messages of the other standard, made by gpg: [file, encrypted?].
    otherMessages: [
      ["mime/gpg-pgpmime-encrypted.eml", true],
      ["mime/gpg-inline-encrypted.eml", true],
      ["mime/gpg-pgpmime-signed.eml", false],
      ["mime/gpg-inline-clearsigned.eml", false],
    ],
  },
  {
    name: "mailseal/openpgp",
    pkg: openpgpOnly,
    has: "pgp",
    lacks: "smime",
    lacksName: "S/MIME",
    ownRoundTrip: () => roundTrip(openpgpOnly, pgpKeys, "alice@example.org", "bob@example.org", "pgp"),
    ownKeys: pgpKeys,
    ownSender: "alice@example.org",
    otherKeys: [
      "smime/alice.crt",
      "smime/alice.key",
      "keys/alice-rsa2048.crt.der",
      "keys/alice.p12",
      "keys/alice-chain.p7b",
      "keys/dave-sec1.pem",
    ],
    // Made by openssl: PEM/base64 in MIME, BER (Outlook), and bare DER.
    otherMessages: [
      ["mime/openssl-smime-enveloped.eml", true],
      ["mime/outlook-p7m-ber.eml", true],
      ["mime/openssl-bare-enveloped.der", true],
      ["mime/openssl-cms-authenveloped.eml", true],
      ["mime/openssl-smime-signed.eml", false],
      ["mime/openssl-smime-opaque.eml", false],
    ],
  },
];

describe("the full build", () => {
  test("standards() names both", () => {
    assert.deepEqual(full.standards(), ["smime", "pgp"]);
  });
});

for (const v of variants) {
  describe(`"${v.name}"`, () => {
    const notEnabled = new RegExp(`"${v.name.replace("/", "\\/")}"[^]*full package "mailseal"`);

    test("standards() names only its own standard; the API is the same", () => {
      assert.deepEqual(v.pkg.standards(), [v.has]);
      assert.deepEqual(Object.keys(v.pkg).sort(), Object.keys(full).sort());
    });

    test("protect → open round trip with its own standard", async () => {
      await v.ownRoundTrip();
    });

    test("keys of the other standard are refused with standard_not_enabled", () => {
      const ring = new v.pkg.Keyring();
      for (const f of v.otherKeys) {
        const err = throwsCode(() => ring.import(fixture(f), { now, passphrase: "test" }), "standard_not_enabled", f);
        assert.match(err.message, notEnabled, `${f}: ${err.message}`);
        assert.match(err.message, new RegExp(v.lacksName.replace("/", "\\/")));
      }
      assert.equal(ring.list({ now }).length, 0);
      // What is no key format at all stays unsupported_format.
      throwsCode(() => ring.import(fixture("keys/not-a-key.txt"), { now }), "unsupported_format", "not-a-key.txt");
    });

    test("messages of the other standard are never shown as protected or valid", async () => {
      const ring = ringOf(v.pkg, ...v.ownKeys.bob);
      for (const [f, encrypted] of v.otherMessages) {
        const o = await v.pkg.open(ring, fixture(f), { now });
        const report = encrypted ? o.encryption : o.signature;
        assert.equal(report.state, encrypted ? "failed" : "invalid", `${f}: ${JSON.stringify(o.encryption)}`);
        assert.equal(report.method, v.lacks, f);
        assert.match(report.detail, new RegExp(`uses ${v.lacksName.replace("/", "\\/")}, which is not enabled`), f);
        assert.match(report.detail, notEnabled, f);
        assert.notEqual(o.signature.state, "valid", f);
        assert.equal(o.headers.protected, false, f);
        if (encrypted) {
          assert.equal(o.text, undefined, `${f}: nothing of an unopened envelope is shown`);
          assert.equal(o.attachments.length, 0, f);
        }
      }
    });

    test("capabilities and check list the other standard as unavailable, with the reason", () => {
      const ring = ringOf(v.pkg, ...v.ownKeys.alice);
      const other = v.has === "smime" ? "bob@example.com" : "bob@example.org";
      const caps = ring.capabilities({ from: v.ownSender, to: [other] }, { now });
      assert.equal(caps.method, v.has);
      const own = caps.methods.find((m) => m.method === v.has);
      assert.ok(own.available && own.canSign && own.canEncrypt);
      const lacking = caps.methods.find((m) => m.method === v.lacks);
      assert.ok(lacking, "the other method is listed");
      assert.equal(lacking.available, false);
      assert.ok(!lacking.canSign && !lacking.canEncrypt);
      assert.match(lacking.signDetail, notEnabled);
      assert.match(lacking.encryptDetails[0], notEnabled);

      const ready = ring.check({ addresses: [v.ownSender] }, { now });
      const methods = ready.addresses[0].methods;
      assert.ok(methods.find((m) => m.method === v.has).available);
      const r = methods.find((m) => m.method === v.lacks);
      assert.ok(!r.available && !r.canSign && !r.canDecrypt);
      assert.match(r.decryptDetail, notEnabled);
    });

    test("protect with only the other standard says so", async () => {
      const ring = ringOf(v.pkg, ...v.ownKeys.alice);
      const err = await rejectsCode(
        () => v.pkg.protect(ring, draft(v.ownSender, v.ownSender), { sign: true, encrypt: false, method: v.lacks, now }),
        "standard_not_enabled",
        "protect",
      );
      assert.match(err.message, notEnabled);
    });

    test("a keyring sealed by the full build keeps the other standard's keys through this build", async () => {
      // Both standards, secret keys included, sealed by the full build.
      const files = [...smimeKeys.alice, ...pgpKeys.alice];
      const original = ringOf(full, ...files);
      const all = byId(original.list({ now }));
      assert.deepEqual([...new Set(all.map((k) => k.kind))].sort(), ["pgp", "smime"]);

      const here = v.pkg.Keyring.unseal(original.seal(PASSWORD), PASSWORD);
      // Only its own standard's keys are listed and usable ...
      assert.deepEqual(
        byId(here.list({ now })),
        all.filter((k) => k.kind === v.has),
      );
      const kept = all.filter((k) => k.kind === v.lacks).length;
      const details = here.check({ addresses: [] }, { now }).details.join("\n");
      assert.match(details, new RegExp(`holds ${kept} ${v.lacksName.replace("/", "\\/")} keys that this build keeps sealed`));
      const signed = await v.pkg.protect(here, draft(v.ownSender, v.ownSender), { sign: true, encrypt: false, now });
      assert.equal(signed.deliveries[0].method, v.has);

      // ... and sealing again writes the others back unchanged: the full build sees every key,
      // and the other standard's secret key still signs.
      const back = full.Keyring.unseal(here.seal(PASSWORD), PASSWORD);
      assert.deepEqual(byId(back.list({ now })), all);
      const lackingSender = v.lacks === "pgp" ? "alice@example.org" : "alice@example.com";
      const out = await full.protect(back, draft(lackingSender, lackingSender), { sign: true, encrypt: false, method: v.lacks, now });
      const opened = await full.open(back, out.deliveries[0].mime, { now });
      assert.equal(opened.signature.method, v.lacks);
      assert.equal(opened.signature.state, "valid", opened.signature.detail);
    });
  });
}
