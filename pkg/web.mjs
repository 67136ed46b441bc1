// Browser (and default) entry: wasm-bindgen --target web.
// Call `await init()` once before anything else; it fetches mailseal_bg.wasm next to
// dist/web/mailseal.js (or pass `{ module_or_path }` to load it from elsewhere).
export * from "./dist/web/mailseal.js";
export { default } from "./dist/web/mailseal.js";
