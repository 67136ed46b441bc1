// Unit tests of scripts/check-shape.mjs on small inline sources: node --test scripts/check-shape.test.mjs
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addressHits,
  collect,
  compare,
  findCycles,
  jsFunctions,
  maskRust,
  parseUseTree,
  rustCountedLines,
  rustFunctions,
} from "./check-shape.mjs";

const lines = (n, body = "    x += 1;") => Array.from({ length: n }, () => body).join("\n");

test("a #[cfg(test)] module is not counted, in file lines or functions", () => {
  const src = [
    "fn real() {", // 1
    "    let x = 1;",
    "}", // 3
    "",
    "#[cfg(test)]", // 5
    "mod tests {",
    "    use super::*;",
    "    fn helper() {",
    lines(200),
    "    }",
    "}",
    "",
  ].join("\n");
  assert.equal(rustCountedLines(src), 4);
  assert.deepEqual(
    rustFunctions(src).map((f) => f.name),
    ["real"],
  );
  const all = `#[cfg(all(test, feature = "smime"))]\nmod t {\n fn a() {}\n}\nfn b() {}\n`;
  assert.equal(rustCountedLines(all), 1);
});

test("braces in strings, raw strings, chars and comments do not end a Rust function", () => {
  const src = [
    "impl<'a> Thing<'a> {", // 1
    "    pub fn f(&self, x: &'a str) -> [u8; 2] {", // 2
    '        let s = "}}} \\" }";',
    '        let r = r##"} "# }"##;',
    "        let c = '}';",
    "        let e = '\\'';",
    "        // }",
    "        /* } /* nested } */ } */",
    "        let b = b'{';",
    "        'outer: loop { break 'outer; }",
    "    }", // 11
    "    fn g(&self);", // a declaration without a body
    "}",
    "fn h() {",
    "    fn inner() {}",
    "}",
  ].join("\n");
  const masked = maskRust(src);
  assert.equal(masked.length, src.length);
  const fns = rustFunctions(src);
  assert.deepEqual(
    fns.map((f) => [f.name, f.line, f.lines]),
    [
      ["Thing::f", 2, 10],
      ["h", 14, 3],
      ["h::inner", 15, 1],
    ],
  );
});

test("JS functions: declarations, methods, top-level arrows; template braces ignored", () => {
  const src = [
    "export function a() {", // 1
    "  const t = `}${ { x: '}' }.x }}`;",
    "  const r = /}/g;",
    "}", // 4
    "class K {",
    "  async m(x) {", // 6
    "    if (x) {",
    "    }",
    "  }", // 9
    "}",
    "export const arrow = async (p) => {", // 11
    "  return p;",
    "};",
    "function b() { inner(() => {}); }",
  ].join("\n");
  assert.deepEqual(
    jsFunctions(src).map((f) => [f.name, f.line, f.lines]),
    [
      ["a", 1, 4],
      ["K.m", 6, 4],
      ["arrow", 11, 3],
      ["b", 14, 1],
    ],
  );
});

test("use trees", () => {
  const leaves = parseUseTree("crate::a::{self, b::{C as D, e}, f::*}");
  assert.deepEqual(
    leaves.map((l) => [l.segs.join("::"), l.local ?? "*", Boolean(l.self), l.glob]),
    [
      ["crate::a", "a", true, false],
      ["crate::a::b::C", "D", false, false],
      ["crate::a::b::e", "e", false, false],
      ["crate::a::f", "*", false, true],
    ],
  );
});

function crate(files) {
  return new Map(Object.entries(files));
}

test("a 2-cycle between files of a folder is found; mod.rs re-exports are followed, not edges", () => {
  const sources = crate({
    "src/lib.rs": "pub mod m;\npub mod other;\n",
    "src/m/mod.rs": "mod x;\nmod y;\nmod z;\npub use x::X;\npub use y::*;\n",
    "src/m/x.rs": "pub struct X;\npub fn f() { super::y::g() }\n",
    "src/m/y.rs": "use crate::m::X;\npub fn g() { let _ = X; }\n",
    "src/m/z.rs": "use super::{X, g};\n",
    "src/other.rs": "// crate::m::x::f() in a comment\nconst S: &str = \"crate::m::x::f\";\n",
  });
  const cycles = findCycles(sources);
  assert.deepEqual(
    cycles.map((c) => [c.kind, c.scope, c.members]),
    [["cycle-file", "src/m/", ["src/m/x.rs", "src/m/y.rs"]]],
  );
});

test("a cycle between top-level modules through an alias and #[cfg] code; test modules do not count", () => {
  const sources = crate({
    "src/lib.rs": "pub mod a;\npub mod b;\npub mod c;\n",
    "src/a.rs": "use crate::b;\npub struct A;\nfn f() { b::B; }\n",
    "src/b.rs": '#[cfg(feature = "x")]\nfn g() -> crate::a::A { todo!() }\npub struct B;\n',
    "src/c.rs": "#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
  });
  const top = findCycles(sources).filter((c) => c.kind === "cycle-top");
  assert.deepEqual(
    top.map((c) => c.members),
    [["a", "b"]],
  );
});

test("ratchet: a baselined violation that grows fails, one that shrinks passes", () => {
  const base = [
    { kind: "fn-lines", file: "src/a.rs", name: "f", size: 150 },
    { kind: "cycle-file", file: "src/m/", name: "src/m/x.rs ↔ src/m/y.rs ↔ src/m/z.rs", size: 3 },
  ];
  const grown = compare([{ kind: "fn-lines", file: "src/a.rs", name: "f", size: 151 }], base).judged;
  assert.equal(grown[0].status, "worse");
  const same = compare([{ kind: "fn-lines", file: "src/a.rs", name: "f", size: 140 }], base);
  assert.equal(same.judged[0].status, "known");
  assert.equal(same.improved.length, 2); // f shrank; the cycle is gone
  const fresh = compare([{ kind: "fn-lines", file: "src/a.rs", name: "g", size: 121 }], base).judged;
  assert.equal(fresh[0].status, "new");
  const cyc = (members) => ({ kind: "cycle-file", file: "src/m/", name: members.join(" ↔ "), members, size: members.length });
  assert.equal(compare([cyc(["src/m/x.rs", "src/m/y.rs"])], base).judged[0].status, "known");
  assert.equal(compare([cyc(["src/m/w.rs", "src/m/x.rs", "src/m/y.rs"])], base).judged[0].status, "worse");
  assert.equal(compare([cyc(["src/m/u.rs", "src/m/v.rs"])], base).judged[0].status, "new");
});

test("collect: a long function and a long file are violations", () => {
  const src = `fn long() {\n${lines(130)}\n}\n${lines(600, "// filler")}\n`;
  const v = collect(crate({ "src/lib.rs": src })).violations;
  assert.deepEqual(
    v.map((x) => [x.kind, x.name, x.size]),
    [
      ["file-lines", "", 732],
      ["fn-lines", "long", 132],
    ],
  );
});

test("address heuristics: lower-casing an address and '@' parsing are hits, a header name is not", () => {
  const rust = [
    "fn f(address: &str, name: &str) -> bool {",
    "    let a = address.trim().to_ascii_lowercase();", // hit
    '    name.eq_ignore_ascii_case("content-type")', // not an address
    "}",
    "fn addr_spec(a: &str) -> Option<(&str, &str)> {",
    "    a.rsplit_once('@')", // hit
    "}",
    "// address.to_lowercase() in a comment",
  ].join("\n");
  assert.deepEqual(
    addressHits("src/x.rs", rust).map((h) => h.line),
    [2, 6],
  );
  const js = [
    'const RE = /^[^\\s@]+@[^\\s@]+$/;', // hit
    "const to = String(message.to).toLowerCase();", // hit
    'const h = header.toLowerCase() === "content-type";',
    'const d = from.split("@").pop();', // hit
  ].join("\n");
  assert.deepEqual(
    addressHits("worker/src/x.mjs", js).map((h) => h.line),
    [1, 2, 4],
  );
});

// ---- engine duplicates and the README layout (scripts/shape/) -------------------------------

import { countedLines, engineDuplicates } from "./shape/engine-duplicates.mjs";
import { layoutProblems } from "./shape/readme-layout.mjs";

const LOGIC = [
  "fn pick(ring: &Keyring, to: &[String]) -> Result<Vec<Key>> {",
  "    let mut keys = Vec::new();",
  "    for address in to {",
  "        let key = ring.find(address).ok_or_else(|| missing(address))?;",
  "        if key.expired(now) {",
  "            return Err(expired(address));",
  "        }",
  "        keys.push(key.clone());",
  "    }",
  "    Ok(keys)",
  "}",
].join("\n");

test("engine duplicates: the same logic in both engines is found, renamed or not", () => {
  const renamed = LOGIC.replaceAll("address", "addr").replaceAll("keys", "found");
  const runs = engineDuplicates(new Map([["src/smime/a.rs", LOGIC], ["src/openpgp/b.rs", renamed]]));
  assert.equal(runs.length, 1);
  assert.equal(runs[0].lines, 7);
  assert.deepEqual([runs[0].a, runs[0].b], ["src/openpgp/b.rs", "src/smime/a.rs"]);
});

test("engine duplicates: within one engine, outside the engines, signatures and test modules do not count", () => {
  const same = new Map([["src/smime/a.rs", LOGIC], ["src/smime/b.rs", LOGIC], ["src/mime/c.rs", LOGIC]]);
  assert.deepEqual(engineDuplicates(same), []);
  const sig = "fn verify<'a>(\n    &'a self,\n    ring: &'a Keyring,\n    signed: &'a [u8],\n    sig: &'a [u8],\n    ctx: &'a Ctx,\n) -> Pending<'a, Result<Verified>> {\n    go(ring)\n}\n";
  assert.deepEqual(engineDuplicates(new Map([["src/smime/a.rs", sig], ["src/openpgp/b.rs", sig]])), []);
  const inTest = `#[cfg(test)]\nmod tests {\n${LOGIC}\n}\n`;
  assert.deepEqual(engineDuplicates(new Map([["src/smime/a.rs", inTest], ["src/openpgp/b.rs", LOGIC]])), []);
  assert.equal(countedLines(inTest).length, 0);
});

test("engine duplicates: a thin run (a list of similar arms) is not a copy", () => {
  const arms = ["match m {", ...Array.from({ length: 10 }, (_, i) => `    K::V${i} => w(${i}),`), "}"].join("\n");
  assert.deepEqual(engineDuplicates(new Map([["src/smime/a.rs", arms], ["src/engine.rs", arms]])), []);
});

test("README layout: named paths must exist; top-level folders and src/ entries must be named", () => {
  const readme = (body) => `# x\n\n## Layout\n\n\`\`\`\n${body}\n\`\`\`\n\n## Next\n`;
  const tree = ["src/lib.rs", "src/mime/mod.rs", "scripts/a.mjs", "docs/x.md", "pkg/dist/web/m.js", "README.md"];
  const ok = readme("src/lib.rs  entry\nsrc/mime/   mime\nscripts/a.mjs  a\ndocs/  docs\npkg/  package; pkg/dist/web/ generated\nREADME.md");
  assert.deepEqual(layoutProblems(ok, tree), []);
  const bad = readme("src/lib.rs  entry\nsrc/gone.rs  old\nscripts/a.mjs\npkg/");
  assert.deepEqual(layoutProblems(bad, tree), [
    { what: "no-such-path", path: "src/gone.rs" },
    { what: "not-named", path: "docs/" },
    { what: "not-named", path: "src/mime/" },
  ]);
  assert.deepEqual(layoutProblems("# no layout", tree), [{ what: "missing-section", path: "README.md" }]);
  const ignored = readme("src/lib.rs src/mime/ scripts/a.mjs docs/ pkg/ www/demo-keys/");
  assert.deepEqual(layoutProblems(ignored, tree, (p) => p === "www/demo-keys/"), []);
});
