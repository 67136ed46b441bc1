// Makes wasm-bindgen's JavaScript glue able to survive a trap (issue 13), for pkg/recover.mjs.
//
//   node scripts/recoverable-glue.mjs DIR...   (each DIR holds a wasm-bindgen mailseal.js)
//
// A WebAssembly trap (a panic is `unreachable` in release builds, an allocation failure
// aborts) leaves the instance unusable: borrow flags of the objects in use stay set (the
// keyring then fails every call with "recursive use of an object"), the futures queue stays
// "scheduled" (every later Promise hangs), the shadow stack pointer stays lowered. The only
// sound way on is a new instance of the same module. wasm-bindgen's glue keeps one instance in
// module variables and gives no way to replace it, so this edits the glue it wrote:
//
// - every export is called through a guard that notices a trap (WebAssembly.RuntimeError),
//   tells pkg/recover.mjs, and swallows it where the futures queue calls in (the caller is
//   told through its Promise instead of an unhandled rejection, which ends a Node process);
// - `__mailseal_restart()` instantiates the module again and points the glue at the new
//   instance (the caches of its memory views reset, its start function run);
// - objects and closures of an earlier instance are stamped with its generation: their
//   finalizers and callbacks do nothing once it is replaced, so a pointer into the old memory
//   never reaches the new one.
//
// Each edit must match what wasm-bindgen (pinned in scripts/setup.sh) writes; anything else
// fails the build here, loudly, rather than leaving a glue that cannot recover.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PROLOGUE = `// mailseal: trap recovery (scripts/recoverable-glue.mjs), added to wasm-bindgen's output.
let __mailseal_gen = 0;
const __mailseal_listeners = new Set();
/** Calls into wasm that the futures queue and closures make: a trap there is reported, not thrown. */
const __mailseal_quiet = /closure|invoke|__wbindgen_destroy/;
function __mailseal_guard(exports) {
  const guarded = {};
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== "function") {
      guarded[name] = value;
      continue;
    }
    const quiet = __mailseal_quiet.test(name);
    guarded[name] = function (...args) {
      try {
        return value.apply(this, args);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        for (const listener of __mailseal_listeners) listener(e);
        // the glue reads an (error pointer, is error) pair from some of these: "no error"
        if (quiet) return [0, 0];
        throw e;
      }
    };
  }
  return guarded;
}
`;

const EPILOGUE = (resets, instantiate) => `
// mailseal: trap recovery (scripts/recoverable-glue.mjs).
/** Calls \`listener(error)\` on every trap. */
export function __mailseal_onTrap(listener) {
  __mailseal_listeners.add(listener);
}
/** The instance now in use: objects made under an earlier one are dead. */
export function __mailseal_generation() {
  return __mailseal_gen;
}
/** A new instance of the module; everything made under the old one is left behind. */
export function __mailseal_restart() {
  __mailseal_gen += 1;
${resets}
${instantiate}
}
`;

/** Replaces `from` by `to` exactly `count` times in `text`, or fails. */
function edit(text, from, to, count, file) {
  const found = text.split(from).length - 1;
  if (found !== count) {
    throw new Error(`${file}: expected ${count} of ${JSON.stringify(from)}, found ${found} (wasm-bindgen changed its glue?)`);
  }
  return text.split(from).join(to);
}

function patch(file) {
  let js = readFileSync(file, "utf8");
  if (js.includes("__mailseal_guard")) return; // already done
  const node = js.includes("let wasm = wasmInstance.exports;");
  if (node) {
    js = edit(js, "let wasm = wasmInstance.exports;", "let wasm = __mailseal_guard(wasmInstance.exports);", 1, file);
  } else {
    js = edit(js, "    wasm = instance.exports;", "    wasm = __mailseal_guard(instance.exports);", 1, file);
  }
  // closures: stamped, inert once their instance is gone
  js = edit(js, "const state = { a: arg0, b: arg1, cnt: 1 };", "const state = { a: arg0, b: arg1, cnt: 1, gen: __mailseal_gen };", 1, file);
  js = edit(js, "    const real = (...args) => {\n", "    const real = (...args) => {\n        if (state.gen !== __mailseal_gen) return;\n", 1, file);
  js = edit(js, "    real._wbg_cb_unref = () => {\n", "    real._wbg_cb_unref = () => {\n        if (state.gen !== __mailseal_gen) return;\n", 1, file);
  js = edit(
    js,
    "new FinalizationRegistry(state => wasm.__wbindgen_destroy_closure(state.a, state.b))",
    "new FinalizationRegistry(state => state.gen === __mailseal_gen && wasm.__wbindgen_destroy_closure(state.a, state.b))",
    1,
    file,
  );
  // exported classes: the finalizer frees only what the current instance allocated
  const registries = [...js.matchAll(/new FinalizationRegistry\(ptr => wasm\.(__wbg_\w+_free)\(ptr, 1\)\)/g)];
  if (registries.length === 0) throw new Error(`${file}: no class finalizer found`);
  for (const [whole, free] of registries) {
    js = edit(js, whole, `new FinalizationRegistry(held => held.gen === __mailseal_gen && wasm.${free}(held.ptr, 1))`, 1, file);
  }
  js = js.replace(/(\w+Finalization)\.register\((\w+), \2\.__wbg_ptr, \2\)/g, "$1.register($2, { ptr: $2.__wbg_ptr, gen: __mailseal_gen }, $2)");
  if (/Finalization\.register\(\w+, \w+\.__wbg_ptr,/.test(js)) throw new Error(`${file}: a class registration was not stamped`);

  const caches = [...js.matchAll(/^let (cached\w*Memory0) = null;$/gm)].map((m) => `  ${m[1]} = null;`);
  if (caches.length === 0) throw new Error(`${file}: no memory view caches found`);
  const instantiate = node
    ? "  wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());\n  wasm = __mailseal_guard(wasmInstance.exports);\n  wasm.__wbindgen_start();"
    : "  __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule);";
  writeFileSync(file, PROLOGUE + js + EPILOGUE(caches.join("\n"), instantiate));
}

for (const dir of process.argv.slice(2)) patch(join(dir, "mailseal.js"));
