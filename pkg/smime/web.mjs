// "mailseal/smime" browser (and default) entry: the S/MIME-only build of the same API
// (wasm-bindgen --target web). OpenPGP keys are refused with the code "standard_not_enabled";
// use "mailseal" for both standards. Call `await init()` once before anything else; it fetches
// mailseal_bg.wasm next to dist/smime/web/mailseal.js (or pass `{ module_or_path }`).
import * as glue from "../dist/smime/web/mailseal.js";
import { recoverable } from "../recover.mjs";

// Through recover.mjs: a WebAssembly trap (a bug) fails its own call and restarts the module.
export const {
  Keyring, cryptoProvider, deliveriesMultipart, headerLine, install_platform_crypto, isMailsealError, memoryBytes, normalizeAddress, open, parseAddress, protect, senderAddress, standards, usePlatformCrypto, version, __forceTrapForTests,
} = recoverable(glue);
export { default, initSync } from "../dist/smime/web/mailseal.js";
