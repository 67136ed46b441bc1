// E-mail addresses through the package (issue 17): the library's one rule, for the Worker and the
// page instead of regexes and lower-casing of their own.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Keyring, normalizeAddress, parseAddress } from "mailseal";
import { throwsCode } from "./helpers.mjs";

describe("addresses", () => {
  test("normalizeAddress: trimmed, ASCII lower-cased, other letters as written", () => {
    assert.equal(normalizeAddress("  Alice@Example.ORG "), "alice@example.org");
    assert.equal(normalizeAddress("ÄRGER@Example.org"), "Ärger@example.org");
    // KELVIN SIGN stays itself: it must not become kate's address
    assert.notEqual(normalizeAddress("\u212aate@example.org"), "kate@example.org");
  });

  test("parseAddress: the parts, the key, whether keys can be looked up", () => {
    assert.deepEqual(parseAddress("Joe.Doe@Example.ORG"), {
      address: "Joe.Doe@Example.ORG",
      key: "joe.doe@example.org",
      local: "Joe.Doe",
      domain: "example.org",
      lookup: true,
    });
    assert.equal(parseAddress("carol@exa").lookup, false);
    // A local name in any spelling is nobody's public domain: no lookup (web sweep 15).
    for (const local of ["a@localhost.", "a@foo.localhost", "a@printer.local", "a@db.internal", "a@example.org.", "a@10.0.0.1"]) {
      assert.equal(parseAddress(local).lookup, false, local);
      throwsCode(() => new Keyring().lookupRequests(local), "bad_input", local);
    }
  });

  test("anything but one bare address is bad_input", () => {
    for (const bad of ["", "nobody", "a@b@c.d", "Alice <alice@example.org>", "a@b\r\nBcc: x@y", "joe@exa mple.org"]) {
      throwsCode(() => normalizeAddress(bad), "bad_input", bad);
      throwsCode(() => parseAddress(bad), "bad_input", bad);
    }
  });
});
