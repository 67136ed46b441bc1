// "mailseal/openpgp" browser (and default) entry: the OpenPGP-only build of the same API
// (wasm-bindgen --target web). S/MIME keys are refused with the code "standard_not_enabled";
// use "mailseal" for both standards. Call `await init()` once before anything else; it fetches
// mailseal_bg.wasm next to dist/openpgp/web/mailseal.js (or pass `{ module_or_path }`).
export * from "../dist/openpgp/web/mailseal.js";
export { default } from "../dist/openpgp/web/mailseal.js";
