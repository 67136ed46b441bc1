// Japanese, Chinese and Korean mail through the built package: the multi-byte charsets are
// decoded by the runtime's TextDecoder (vendor/mail-parser/MAILSEAL.md), in bodies and in
// RFC 2047 header words, by the Node.js and web builds alike.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as node from "mailseal";
import { PKG } from "./helpers.mjs";

const web = await import(join(PKG, "web.mjs"));
await web.default({ module_or_path: readFileSync(join(PKG, "dist", "web", "mailseal_bg.wasm")) });

const bodies = [
  ["shift_jis", [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x83, 0x65, 0x83, 0x4c, 0x83, 0x58, 0x83, 0x67], "日本語のテキスト"],
  ["ISO-2022-JP", [...Buffer.from("\x1b$BF|K\\8l$N%F%-%9%H\x1b(B", "latin1")], "日本語のテキスト"],
  ["gb2312", [0xd6, 0xd0, 0xce, 0xc4, 0xce, 0xc4, 0xb1, 0xbe], "中文文本"],
  ["big5", [0xa4, 0xa4, 0xa4, 0xe5, 0xa4, 0xe5, 0xa5, 0xbb], "中文文本"],
  ["euc-kr", [0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee], "한국어"],
];

for (const [name, m] of [["node", node], ["web", web]]) {
  test(`${name}: CJK bodies and subjects are decoded`, async () => {
    const ring = new m.Keyring();
    for (const [charset, bytes, text] of bodies) {
      const head = Buffer.from(
        "From: support@example.jp\r\nTo: desk@example.org\r\n" +
          "Subject: =?ISO-2022-JP?B?GyRCRnxLXDhsJE43b0w+GyhC?= / =?gb2312?B?1tDOxNb3zOI=?=\r\n" +
          `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\n` +
          "Content-Transfer-Encoding: 8bit\r\n\r\n",
        "latin1",
      );
      const raw = new Uint8Array(Buffer.concat([head, Buffer.from(bytes), Buffer.from("\r\n")]));
      const opened = await m.open(ring, raw, { now: new Date("2026-12-01T00:00:00Z") });
      assert.equal(opened.text, `${text}\n`, charset);
      assert.equal(opened.headers.subject, "日本語の件名 / 中文主题", charset);
    }
  });
}
