// Types for every runtime: the API is the same everywhere. In the browser `await init()`
// loads the wasm; in Node.js and Cloudflare Workers it is already loaded and `init()` is a
// no-op, so portable code can always `await init()`.
export * from "./dist/web/mailseal.js";
export { default } from "./dist/web/mailseal.js";
