// "mailseal/smime" Node.js entry: the S/MIME-only build, compiled and instantiated synchronously on
// import (wasm-bindgen --target experimental-nodejs-module), so everything is ready at once.
// `init` and `initSync` exist only so that the same code runs in every runtime.
export * from "../dist/smime/node/mailseal.js";

/** Already initialised on import; resolves at once. */
export default async function init() {}

/** Already initialised on import; does nothing. */
export function initSync() {}
