// The page side: starts a dedicated module Web Worker and hands back what it posts. The page
// itself never imports mailseal; all the wasm work happens off the main thread.

/** Runs seal-worker.mjs with the package entry `entry` (a URL); resolves to its reply. */
window.runInWorker = (entry, now) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./seal-worker.mjs", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`worker error: ${e.message}`));
    };
    worker.postMessage({ entry, now });
  });

document.body.dataset.ready = "true";
