// The page only starts workers; the host (bench.mjs) calls into the bench worker directly.

/** Starts the bench worker (runner.mjs); resolves once it is ready for the host's calls. */
window.startRunner = () => new Promise((resolve, reject) => {
  const worker = new Worker('./runner.mjs', { type: 'module' });
  worker.onmessage = () => resolve();
  worker.onerror = (e) => reject(new Error(`runner.mjs: ${e.message}`));
});

/**
 * One module-load sample in a fresh worker (so an empty module map; the server says no-store,
 * so no HTTP or code cache either): `importMs` = import(url) + init as the worker times it,
 * `wallMs` = new Worker() to its answer. Without a url: a bare worker, the baseline.
 */
window.loadSample = (url, init) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const worker = new Worker('./load-worker.mjs', { type: 'module' });
  worker.onmessage = ({ data }) => {
    const wallMs = performance.now() - t0;
    worker.terminate();
    if (data.error) reject(new Error(`${url}: ${data.error}`));
    else resolve({ importMs: data.importMs, wallMs });
  };
  worker.onerror = (e) => reject(new Error(`load-worker.mjs: ${e.message}`));
  worker.postMessage({ url, init });
});
