// Browser (and default) entry: wasm-bindgen --target web.
// Call `await init()` once before anything else; it fetches mailseal_bg.wasm next to
// dist/web/mailseal.js (or pass `{ module_or_path }` to load it from elsewhere).
import * as glue from "./dist/web/mailseal.js";
import { recoverable } from "./recover.mjs";

// Through recover.mjs: a WebAssembly trap (a bug) fails its own call and restarts the module.
export const {
  Keyring, cryptoProvider, deliveriesMultipart, headerLine, install_platform_crypto, isMailsealError, memoryBytes, normalizeAddress, open, parseAddress, protect, senderAddress, standards, usePlatformCrypto, version, __forceTrapForTests,
} = recoverable(glue);
export { default, initSync } from "./dist/web/mailseal.js";
