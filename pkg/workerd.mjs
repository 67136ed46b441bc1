// Cloudflare Workers (workerd) entry. workerd forbids compiling WebAssembly from bytes at
// run time, so the .wasm is imported statically (wrangler turns it into a WebAssembly.Module)
// and instantiated synchronously on import with the web build's initSync.
import wasmModule from "./dist/web/mailseal_bg.wasm";
import { initSync } from "./dist/web/mailseal.js";

initSync({ module: wasmModule });

export * from "./dist/web/mailseal.js";

/** Already initialised on import; resolves at once. */
export default async function init() {}
