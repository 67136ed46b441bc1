// Team identities through the package (issue 16; docs/team.md): three members' keyrings share
// support@'s key through a team bundle. Each opens mail to support@ and signs as support@;
// a removed member opens nothing current; a rotation gives new mail a new key while old mail
// still opens; flipped, truncated and rolled-back bundles are refused with their codes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring, open, protect } from "mailseal";
import { throwsCode } from "./helpers.mjs";

const DESK = "support@example.org";
const CUSTOMER = "carla@example.net";

describe("team identities", () => {
  test("three members, removal, rotation, tampering", async () => {
    const [alice, bob, edge] = [new Keyring(), new Keyring(), new Keyring()];
    const members = [alice.memberKey("Alice"), bob.memberKey("Bob"), edge.memberKey("Edge worker")];
    assert.equal(new Set(members.map((m) => m.id)).size, 3);
    assert.deepEqual(alice.memberKey("Alice").id, members[0].id, "one member key per keyring");

    const desk = new Keyring();
    const made = desk.generateOpenPgp({ address: DESK, name: "Example Support" });
    let bundle = alice.teamCreate(DESK, desk);
    bundle = alice.teamAddMember(bundle, members[1]);
    bundle = bob.teamAddMember(bundle, members[2]);
    assert.ok(bundle instanceof Uint8Array);

    const customer = new Keyring();
    customer.import(made.publicKey, { trusted: true });
    const toDesk = (await protect(customer, { from: CUSTOMER, to: [DESK], subject: "Help", text: "It is on fire.\n" }, { sign: false, encrypt: true, method: "pgp" })).deliveries[0].mime;

    for (const [who, ring] of [["alice", alice], ["bob", bob], ["edge", edge]]) {
      const team = ring.teamOpen(bundle);
      assert.equal(team.address, DESK);
      assert.deepEqual(team.members.map((m) => m.name), ["Alice", "Bob", "Edge worker"], who);
      assert.deepEqual(team.changes.map((c) => c.kind), ["create", "add_member", "add_member"]);
      assert.equal(team.changes[2].by, "Bob");
      const opened = await open(team.keyring, toDesk);
      assert.equal(opened.encryption.state, "decrypted", who);
      const answer = await protect(team.keyring, { from: DESK, to: [CUSTOMER], subject: "Re: Help", text: "Water.\n" }, { sign: true, encrypt: false, method: "pgp" });
      assert.equal((await open(customer, answer.deliveries[0].mime)).signature.state, "valid", who);
    }

    const withoutEdge = bob.teamRemoveMember(bundle, members[2].id);
    throwsCode(() => edge.teamOpen(withoutEdge), "not_a_member");

    const rotated = alice.teamRotate(withoutEdge, { openpgp: "curve25519" });
    assert.ok(rotated.openpgp && rotated.bundle instanceof Uint8Array);
    assert.notEqual(rotated.openpgp.key.id, made.key.id);
    const team = bob.teamOpen(rotated.bundle);
    assert.equal((await open(team.keyring, toDesk)).encryption.state, "decrypted", "old mail still opens");
    const reader = new Keyring();
    reader.import(rotated.openpgp.publicKey, { trusted: true });
    const signed = await protect(team.keyring, { from: DESK, to: [CUSTOMER], subject: "New key", text: "Hi.\n" }, { sign: true, encrypt: false, method: "pgp" });
    const read = await open(reader, signed.deliveries[0].mime);
    assert.equal(read.signature.state, "valid");
    assert.equal(read.signature.signer.keyId.toUpperCase(), rotated.openpgp.key.id);

    const flipped = rotated.bundle.slice();
    flipped[Math.floor(flipped.length / 2)] ^= 1;
    assert.throws(() => bob.teamOpen(flipped), (e) => ["team_refused", "corrupt_vault"].includes(e.code));
    const json = JSON.parse(new TextDecoder().decode(rotated.bundle));
    json.changes.splice(1, 1);
    throwsCode(() => bob.teamOpen(new TextEncoder().encode(JSON.stringify(json))), "team_refused");
    throwsCode(() => bob.teamOpen(withoutEdge), "team_rolled_back");
    assert.equal(bob.teamOpen(rotated.bundle).members.length, 2, "the last good state stays");

    // The member key and the checkpoint are sealed with the member's keyring.
    const bobAgain = Keyring.unseal(bob.seal("bob pass"), "bob pass");
    assert.equal(bobAgain.memberKey("Bob").id, members[1].id);
    throwsCode(() => bobAgain.teamOpen(withoutEdge), "team_rolled_back");
    assert.ok(bob.recentLog().some((e) => e.action === "team_remove_member"));
  });
});
