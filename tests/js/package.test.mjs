// The npm package as published: exports map, `files`, every entry point and both builds.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, test } from "node:test";
import { createRequire } from "node:module";
import { PKG, fixture, goodImports, importOpts, loadExpected } from "./helpers.mjs";

const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
const expected = loadExpected();
const now = new Date(expected.now);
// The one-standard builds, each with entries like the main ones under pkg/VARIANT/.
const VARIANTS = ["smime", "openpgp"];
const ENTRIES = ["node.mjs", "web.mjs", "workerd.mjs", "mailseal.d.ts"];
const allEntries = [...ENTRIES, ...VARIANTS.flatMap((v) => ENTRIES.map((e) => `${v}/${e}`))];

function exportTargets(node, out = []) {
  if (typeof node === "string") out.push(node);
  else for (const v of Object.values(node)) exportTargets(v, out);
  return out;
}

describe("package.json", () => {
  test("name, version, module type", () => {
    assert.equal(pkg.name, "mailseal");
    assert.equal(pkg.version, "0.1.0");
    assert.equal(pkg.type, "module");
    // The entries that instantiate the wasm on import are side effects: with `false`, a
    // bundler (wrangler's esbuild) drops workerd.mjs's initSync and the worker has no wasm.
    assert.deepEqual(pkg.sideEffects, [
      "./workerd.mjs",
      "./dist/node/mailseal.js",
      ...VARIANTS.flatMap((v) => [`./${v}/workerd.mjs`, `./dist/${v}/node/mailseal.js`]),
    ]);
  });

  test("exports '.', './smime' and './openpgp' have the conditions in the order resolvers need", () => {
    assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "workerd", "browser", "node", "default"]);
    for (const v of VARIANTS) {
      assert.deepEqual(pkg.exports[`./${v}`], {
        types: `./${v}/mailseal.d.ts`,
        workerd: `./${v}/workerd.mjs`,
        browser: `./${v}/web.mjs`,
        node: `./${v}/node.mjs`,
        default: `./${v}/web.mjs`,
      });
      assert.equal(pkg.exports[`./${v}/mailseal_bg.wasm`], `./dist/${v}/web/mailseal_bg.wasm`);
    }
  });

  test("npm pack ships every file the exports point to, and nothing from src/ or tests", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], {
      cwd: PKG,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const [info] = JSON.parse(out);
    const packed = new Set(info.files.map((f) => f.path));
    for (const target of exportTargets(pkg.exports)) {
      const rel = target.replace(/^\.\//, "");
      assert.ok(existsSync(join(PKG, rel)), `exports target ${target} does not exist`);
      assert.ok(packed.has(rel), `exports target ${target} is not in the packed files`);
    }
    // Every module the entry points import must ship too.
    for (const entry of allEntries) {
      const src = readFileSync(join(PKG, entry), "utf8");
      for (const [, spec] of src.matchAll(/from\s+"(\.\.?\/[^"]+)"/g)) {
        const rel = normalize(join(dirname(entry), spec));
        const c = rel.endsWith(".js") && entry.endsWith(".d.ts") ? rel.replace(/\.js$/, ".d.ts") : rel;
        assert.ok(packed.has(c), `${entry} imports ${c}, which is not packed`);
      }
    }
    // Exactly what publishing needs: no stray generated .d.ts, package.json or build leftovers.
    // The variants' types are the main .d.ts (same API): their generated .d.ts is not shipped.
    const wanted = [
      "package.json",
      ...allEntries,
      "recover.mjs", // every entry's trap recovery
      "dist/node/mailseal.js",
      "dist/node/mailseal_bg.wasm",
      "dist/web/mailseal.js",
      "dist/web/mailseal.d.ts",
      "dist/web/mailseal_bg.wasm",
      ...VARIANTS.flatMap((v) => [
        `dist/${v}/node/mailseal.js`,
        `dist/${v}/node/mailseal_bg.wasm`,
        `dist/${v}/web/mailseal.js`,
        `dist/${v}/web/mailseal_bg.wasm`,
      ]),
    ];
    const optional = /^(README(\.md)?|LICEN[CS]E.*|dist\/((smime|openpgp)\/)?(node|web)\/snippets\/.+)$/;
    for (const f of wanted) assert.ok(packed.has(f), `${f} is not packed`);
    for (const f of packed) assert.ok(wanted.includes(f) || optional.test(f), `unexpected packed file ${f}`);
    // Three builds, each once for the web and once for Node.js (~18 MiB unpacked).
    assert.ok(info.unpackedSize < 24 * 1024 * 1024, `package is ${info.unpackedSize} bytes`);
  });

  test("the hand-written entry points parse", () => {
    for (const entry of allEntries.filter((e) => e.endsWith(".mjs"))) {
      execFileSync(process.execPath, ["--check", join(PKG, entry)], { stdio: "pipe" });
    }
  });
});

describe("entry points", () => {
  const entry = goodImports(expected)[0];

  test('"mailseal" resolves to the node entry in Node', () => {
    const require = createRequire(import.meta.url);
    // require.resolve uses the "node" + "require" conditions; our exports have no "require", so
    // it falls to "node" as well.
    assert.equal(require.resolve("mailseal"), join(PKG, "node.mjs"));
    for (const v of VARIANTS) assert.equal(require.resolve(`mailseal/${v}`), join(PKG, v, "node.mjs"));
  });

  test("CommonJS: require(\"mailseal\") works (Node's require of an ES module, no top-level await)", () => {
    const require = createRequire(import.meta.url);
    const cjs = require("mailseal");
    const ring = new cjs.Keyring();
    assert.equal(typeof cjs.protect, "function");
    assert.equal(ring.list().length, 0);
    ring.free();
    for (const v of VARIANTS) {
      assert.deepEqual(require(`mailseal/${v}`).standards(), [v === "smime" ? "smime" : "pgp"]);
    }
  });

  test("the web build works after await init(bytes) (as in a browser)", async () => {
    const web = await import(join(PKG, "web.mjs"));
    const wasm = readFileSync(join(PKG, "dist", "web", "mailseal_bg.wasm"));
    await web.default({ module_or_path: wasm });
    const ring = new web.Keyring();
    if (entry) {
      const infos = ring.import(fixture(entry.file), importOpts(entry, now));
      assert.deepEqual(infos.map((k) => k.id).sort(), entry.keys.map((k) => k.id).sort());
    }
  });

  test("every entry exports everything its wasm-bindgen glue does (through recover.mjs)", async () => {
    for (const v of ["", ...VARIANTS.map((x) => `${x}/`)]) {
      for (const [entry, glue] of [["node.mjs", "node"], ["web.mjs", "web"]]) {
        const dist = v ? `dist/${v}${glue}/mailseal.js` : `dist/${glue}/mailseal.js`;
        const want = Object.keys(await import(join(PKG, dist))).filter((n) => !n.startsWith("__mailseal_"));
        const got = new Set(Object.keys(await import(join(PKG, `${v}${entry}`))));
        for (const name of want) assert.ok(got.has(name), `${v}${entry} does not export ${name}`);
      }
      // workerd.mjs imports a .wasm module (wrangler's): read its export list as text
      const src = readFileSync(join(PKG, `${v}workerd.mjs`), "utf8");
      const web = Object.keys(await import(join(PKG, `${v}web.mjs`))).filter((n) => n !== "initSync");
      for (const name of web) assert.match(src, new RegExp(`\\b${name}\\b`), `${v}workerd.mjs does not export ${name}`);
    }
  });

  test("workerd entries: static .wasm import + initSync, no compiling from bytes", () => {
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const cases = [
      ["workerd.mjs", "./dist/web/mailseal_bg.wasm"],
      ...VARIANTS.map((v) => [`${v}/workerd.mjs`, `../dist/${v}/web/mailseal_bg.wasm`]),
    ];
    for (const [entry, wasm] of cases) {
      // Code only: the comments may name what the code must not do.
      const src = readFileSync(join(PKG, entry), "utf8").replace(/^\s*\/\/.*$/gm, "");
      assert.match(src, new RegExp(`^import \\w+ from "${escape(wasm)}";$`, "m"), entry);
      assert.match(src, /initSync\(\{ module: \w+ \}\)/, entry);
      assert.doesNotMatch(src, /WebAssembly\.(compile|instantiate|Module)\b/, entry);
    }
  });

  test("the variants' web builds work after await init(bytes) (as in a browser)", async () => {
    for (const v of VARIANTS) {
      const web = await import(join(PKG, v, "web.mjs"));
      await web.default({ module_or_path: readFileSync(join(PKG, "dist", v, "web", "mailseal_bg.wasm")) });
      assert.deepEqual(web.standards(), [v === "smime" ? "smime" : "pgp"]);
      assert.equal(new web.Keyring().list().length, 0);
    }
  });
});
