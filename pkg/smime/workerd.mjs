// "mailseal/smime" Cloudflare Workers (workerd) entry: the S/MIME-only build. workerd forbids
// compiling WebAssembly from bytes at run time, so the .wasm is imported statically (wrangler
// turns it into a WebAssembly.Module) and instantiated synchronously on import with initSync.
import wasmModule from "../dist/smime/web/mailseal_bg.wasm";
import { initSync } from "../dist/smime/web/mailseal.js";

initSync({ module: wasmModule });

export * from "../dist/smime/web/mailseal.js";

/** Already initialised on import; resolves at once. */
export default async function init() {}
