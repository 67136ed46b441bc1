// "mailseal/smime" Cloudflare Workers (workerd) entry: the S/MIME-only build. workerd forbids
// compiling WebAssembly from bytes at run time, so the .wasm is imported statically (wrangler
// turns it into a WebAssembly.Module) and instantiated synchronously on import with initSync.
import wasmModule from "../dist/smime/web/mailseal_bg.wasm";
import * as glue from "../dist/smime/web/mailseal.js";
import { recoverable } from "../recover.mjs";

glue.initSync({ module: wasmModule });

// Through recover.mjs: a WebAssembly trap (a bug) fails its own call and restarts the module.
export const {
  Keyring, cryptoProvider, deliveriesMultipart, headerLine, install_platform_crypto, isMailsealError, memoryBytes, normalizeAddress, open, parseAddress, protect, senderAddress, standards, usePlatformCrypto, version, __forceTrapForTests,
} = recoverable(glue);

/** Already initialised on import; resolves at once. */
export default async function init() {}
