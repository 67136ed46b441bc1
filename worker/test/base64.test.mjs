// worker/src/base64.mjs against Node's Buffer: the same text for every length around its chunk
// size (attachments of any size in /v1/open answers), and back.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { base64 } from "../src/base64.mjs";

test("base64 encodes and decodes like Buffer at every length around a chunk", () => {
  for (const n of [0, 1, 2, 3, 4, 32765, 32766, 32767, 32768, 32769, 65532, 65533, 100000, 1 << 20]) {
    const bytes = new Uint8Array(randomBytes(n));
    const text = base64.encode(bytes);
    assert.equal(text, Buffer.from(bytes).toString("base64"), `${n} octets`);
    assert.deepEqual(base64.decode(text), bytes, `${n} octets back`);
  }
});
