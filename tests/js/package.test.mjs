// The npm package as published: exports map, `files`, every entry point and both builds.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createRequire } from "node:module";
import { PKG, fixture, goodImports, importOpts, loadExpected } from "./helpers.mjs";

const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
const expected = loadExpected();
const now = new Date(expected.now);

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
    assert.deepEqual(pkg.sideEffects, ["./workerd.mjs", "./dist/node/mailseal.js"]);
  });

  test("exports '.' has the conditions in the order resolvers need", () => {
    assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "workerd", "browser", "node", "default"]);
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
    for (const entry of ["node.mjs", "web.mjs", "workerd.mjs", "mailseal.d.ts"]) {
      const src = readFileSync(join(PKG, entry), "utf8");
      for (const [, spec] of src.matchAll(/from\s+"(\.\/[^"]+)"/g)) {
        const rel = spec.replace(/^\.\//, "");
        const candidates = rel.endsWith(".js") && entry.endsWith(".d.ts") ? [rel.replace(/\.js$/, ".d.ts")] : [rel];
        for (const c of candidates) assert.ok(packed.has(c), `${entry} imports ${c}, which is not packed`);
      }
    }
    // Exactly what publishing needs: no stray generated .d.ts, package.json or build leftovers.
    const wanted = [
      "package.json",
      "mailseal.d.ts",
      "node.mjs",
      "web.mjs",
      "workerd.mjs",
      "dist/node/mailseal.js",
      "dist/node/mailseal_bg.wasm",
      "dist/web/mailseal.js",
      "dist/web/mailseal.d.ts",
      "dist/web/mailseal_bg.wasm",
    ];
    const optional = /^(README(\.md)?|LICEN[CS]E.*|dist\/(node|web)\/snippets\/.+)$/;
    for (const f of wanted) assert.ok(packed.has(f), `${f} is not packed`);
    for (const f of packed) assert.ok(wanted.includes(f) || optional.test(f), `unexpected packed file ${f}`);
    assert.ok(info.unpackedSize < 20 * 1024 * 1024, `package is ${info.unpackedSize} bytes`);
  });

  test("the hand-written entry points parse", () => {
    for (const entry of ["node.mjs", "web.mjs", "workerd.mjs"]) {
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

  test("workerd entry: static .wasm import + initSync, no compiling from bytes", () => {
    // Code only: the comments may name what the code must not do.
    const src = readFileSync(join(PKG, "workerd.mjs"), "utf8").replace(/^\s*\/\/.*$/gm, "");
    assert.match(src, /^import \w+ from "\.\/dist\/web\/mailseal_bg\.wasm";$/m);
    assert.match(src, /initSync\(\{ module: \w+ \}\)/);
    assert.doesNotMatch(src, /WebAssembly\.(compile|instantiate|Module)\b/);
  });
});
