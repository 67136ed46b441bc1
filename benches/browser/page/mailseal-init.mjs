// What the mailseal adapter's `import … from 'mailseal'` loads in the browser: the package's
// web build (served at /mailseal/), initialised (fetches and instantiates mailseal_bg.wasm).
import init from '/mailseal/mailseal.js';

await init();
export * from '/mailseal/mailseal.js';
