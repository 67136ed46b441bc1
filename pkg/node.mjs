// Node.js entry: the wasm module is compiled and instantiated synchronously on import
// (wasm-bindgen --target experimental-nodejs-module), so everything is ready at once.
// `init` and `initSync` exist only so that the same code runs in every runtime.
import * as glue from "./dist/node/mailseal.js";
import { recoverable } from "./recover.mjs";

// Through recover.mjs: a WebAssembly trap (a bug) fails its own call and restarts the module.
export const {
  Keyring, cryptoProvider, deliveriesMultipart, headerLine, install_platform_crypto, isMailsealError, memoryBytes, normalizeAddress, open, parseAddress, protect, senderAddress, standards, usePlatformCrypto, version, __forceTrapForTests,
} = recoverable(glue);

/** Already initialised on import; resolves at once. */
export default async function init() {}

/** Already initialised on import; does nothing. */
export function initSync() {}
