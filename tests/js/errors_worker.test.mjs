// isMailsealError(e) and the package in a worker thread (heavy work off the main thread).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Worker } from "node:worker_threads";
import { Keyring, isMailsealError } from "mailseal";
import { DATA } from "./helpers.mjs";

const now = new Date("2026-12-01T00:00:00Z");

describe("isMailsealError", () => {
  test("true for what mailseal throws, with its code", () => {
    let thrown;
    try {
      new Keyring().import(42);
    } catch (e) {
      thrown = e;
    }
    assert.equal(isMailsealError(thrown), true);
    assert.equal(thrown.code, "bad_input");
  });

  test("false for other errors and look-alikes", () => {
    const named = new Error("x");
    named.name = "MailsealError";
    named.code = "not_a_code";
    const noCode = new Error("x");
    noCode.name = "MailsealError";
    for (const value of [new TypeError("x"), named, noCode, { name: "MailsealError", code: "bad_input" },
      "bad_input", null, undefined, 0]) {
      assert.equal(isMailsealError(value), false, String(value));
    }
  });
});

describe("in a worker thread", () => {
  test("a worker imports the package, protects and opens; the main thread gets the report", async () => {
    const keys = ["alice.sec.asc", "bob.pub.asc", "bob.sec.asc"].map((f) => new Uint8Array(readFileSync(join(DATA, "openpgp", f))));
    const worker = new Worker(new URL("./worker/seal-worker.mjs", import.meta.url));
    try {
      const reply = new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage({ keys, now, draft: { from: "alice@example.org", to: ["bob@example.org"], subject: "from a worker", text: "Solved in a worker.\n" } });
      const r = await reply;
      assert.equal(r.ok, true, r.message);
      assert.equal(r.method, "pgp");
      assert.equal(r.encryption, "decrypted");
      assert.equal(r.signature, "valid");
      assert.match(r.text, /Solved in a worker\./);
    } finally {
      await worker.terminate();
    }
  });
});
