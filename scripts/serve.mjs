#!/usr/bin/env node
// A tiny static file server for the demo (no dependencies): serves www/ at / and the built
// npm package (pkg/) at /pkg/, with the MIME types browsers insist on (application/wasm for
// WebAssembly.instantiateStreaming, text/javascript for module scripts).
//
//   node scripts/serve.mjs [--host 127.0.0.1] [--port 8080] [--worker http://127.0.0.1:8787]
//
// Also importable: `startServer({ host, port, mounts, proxy })` resolves to { server, url } (port 0
// picks a free port), which the JS tests use; `mounts` (default MOUNTS) lets a test serve its own
// pages.
//
// `--worker URL` / `proxy`: requests under /v1/ go to the mailseal Worker (worker/, e.g.
// `npx wrangler dev` on :8787), so the page reaches the Worker's /v1/lookup and /v1/revocation
// at its own origin, as in a deployment where the Worker is routed under the desk's origin
// (the page's CSP allows `connect-src 'self'` only). `proxy` is a function from a fetch
// Request to a Response (the browser tests hand it to Miniflare's dispatchFetch).
import { createReadStream, promises as fs } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** URL path prefix -> folder on disk. The first matching prefix wins: list longer ones first. */
export const MOUNTS = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];

export const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".asc": "text/plain; charset=utf-8",
  ".pem": "text/plain; charset=utf-8",
  ".crt": "application/pkix-cert",
  ".cer": "application/pkix-cert",
  ".p12": "application/x-pkcs12",
  ".pfx": "application/x-pkcs12",
  ".gpg": "application/octet-stream",
  ".pgp": "application/octet-stream",
};

/** Maps a request path to a file inside one of the mounts, or null (never escapes them). */
function resolvePath(urlPath, mounts) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  for (const [prefix, dir] of mounts) {
    if (!decoded.startsWith(prefix)) continue;
    const rel = decoded.slice(prefix.length);
    const file = normalize(join(dir, rel));
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

/** The Worker's routes: /v1/... handed on as they came (method, headers, body), answered as it answers. */
export const PROXY_PREFIX = "/v1/";
const PROXY_HEADERS = ["authorization", "accept", "content-type"];

async function forward(req, res, proxy) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = {};
  for (const h of PROXY_HEADERS) if (req.headers[h]) headers[h] = req.headers[h];
  const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  const answer = await proxy(new Request(new URL(req.url ?? "/", "http://localhost"), { method: req.method, headers, body }));
  const bytes = Buffer.from(await answer.arrayBuffer());
  const out = { "content-length": bytes.length, "cache-control": "no-store", "x-content-type-options": "nosniff" };
  for (const h of ["content-type", "www-authenticate"]) if (answer.headers.get(h)) out[h] = answer.headers.get(h);
  res.writeHead(answer.status, out);
  res.end(req.method === "HEAD" ? undefined : bytes);
}

/** `proxy` for a Worker listening at `base` (wrangler dev). */
export const workerAt = (base) => (request) => {
  const url = new URL(request.url);
  return fetch(new URL(url.pathname + url.search, base), { method: request.method, headers: request.headers, body: request.body, duplex: "half", redirect: "manual" });
};

async function handle(req, res, mounts, proxy) {
  const send = (status, text) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : text + "\n");
  };
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (proxy && pathname.startsWith(PROXY_PREFIX)) {
    try {
      return await forward(req, res, proxy);
    } catch {
      return send(502, "the worker did not answer");
    }
  }
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
  let file = resolvePath(pathname, mounts);
  if (!file) return send(404, "not found");
  let stat;
  try {
    stat = await fs.stat(file);
    if (stat.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: pathname + "/" });
        return res.end();
      }
      file = join(file, "index.html");
      stat = await fs.stat(file);
    }
  } catch {
    return send(404, "not found");
  }
  if (!stat.isFile()) return send(404, "not found");
  res.writeHead(200, {
    "content-type": MIME_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": stat.size,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

/** Starts the server; resolves to { server, url }. */
export function startServer({ host = "127.0.0.1", port = 8080, mounts = MOUNTS, proxy } = {}) {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      handle(req, res, mounts, proxy).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    server.once("error", reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, url: `http://${host}:${addr.port}/` });
    });
  });
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--host") opts.host = argv[++i];
    else if (argv[i] === "--port") opts.port = Number(argv[++i]);
    else if (argv[i] === "--worker") opts.proxy = workerAt(argv[++i]);
    else {
      console.error(`usage: serve.mjs [--host HOST] [--port PORT] [--worker URL] (unknown argument ${argv[i]})`);
      process.exit(2);
    }
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const opts = parseArgs(process.argv.slice(2));
  startServer(opts).then(
    ({ url }) => console.log(`mailseal demo: ${url}  (www/ at /, pkg/ at /pkg/${opts.proxy ? ", /v1/ to the worker" : ""}; Ctrl-C stops)`),
    (e) => {
      console.error(`serve: ${e.message}`);
      process.exit(1);
    },
  );
}
