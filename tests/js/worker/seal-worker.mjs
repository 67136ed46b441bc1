// A worker that does mailseal's heavy work off the main thread (worker_threads here; a browser
// Web Worker is the same code with `self.onmessage` / `postMessage` and `await init()` first).
// It imports the package by name, exactly as an application's worker would.
import { parentPort } from "node:worker_threads";
import { Keyring, open, protect } from "mailseal";

parentPort.on("message", async ({ keys, draft, now }) => {
  try {
    const ring = new Keyring();
    // Verified by the admin (trusted): only such OpenPGP keys make a signature valid.
    for (const k of keys) ring.import(k, { now, trusted: true });
    const { deliveries } = await protect(ring, draft, { sign: true, encrypt: true, now });
    const opened = await open(ring, deliveries[0].mime, { now });
    // Only structured-cloneable data crosses back: the report and the text, not the Keyring.
    parentPort.postMessage({ ok: true, method: deliveries[0].method, encryption: opened.encryption.state,
      signature: opened.signature.state, text: opened.text });
    ring.free();
  } catch (e) {
    parentPort.postMessage({ ok: false, name: e.name, code: e.code, message: e.message });
  }
});
