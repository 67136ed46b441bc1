// A fresh worker per module-load sample (page.mjs loadSample): times import + init of one library.
self.onmessage = async ({ data: { url, init } }) => {
  try {
    const t0 = performance.now();
    if (url) {
      const mod = await import(url);
      if (init) await mod.default();
    }
    postMessage({ importMs: performance.now() - t0 });
  } catch (e) {
    postMessage({ error: String(e?.message ?? e) });
  }
};
