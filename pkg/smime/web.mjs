// "mailseal/smime" browser (and default) entry: the S/MIME-only build of the same API
// (wasm-bindgen --target web). OpenPGP keys are refused with the code "standard_not_enabled";
// use "mailseal" for both standards. Call `await init()` once before anything else; it fetches
// mailseal_bg.wasm next to dist/smime/web/mailseal.js (or pass `{ module_or_path }`).
export * from "../dist/smime/web/mailseal.js";
export { default } from "../dist/smime/web/mailseal.js";
