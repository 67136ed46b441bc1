#!/usr/bin/env node
// A tiny static file server for the demo (no dependencies): serves www/ at / and the built
// npm package (pkg/) at /pkg/, with the MIME types browsers insist on (application/wasm for
// WebAssembly.instantiateStreaming, text/javascript for module scripts).
//
//   node scripts/serve.mjs [--host 127.0.0.1] [--port 8080]
//
// Also importable: `startServer({ host, port, mounts })` resolves to { server, url } (port 0 picks
// a free port), which the JS tests use; `mounts` (default MOUNTS) lets a test serve its own pages.
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

async function handle(req, res, mounts) {
  const send = (status, text) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : text + "\n");
  };
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
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
export function startServer({ host = "127.0.0.1", port = 8080, mounts = MOUNTS } = {}) {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      handle(req, res, mounts).catch(() => {
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
    else {
      console.error(`usage: serve.mjs [--host HOST] [--port PORT] (unknown argument ${argv[i]})`);
      process.exit(2);
    }
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const opts = parseArgs(process.argv.slice(2));
  startServer(opts).then(
    ({ url }) => console.log(`mailseal demo: ${url}  (www/ at /, pkg/ at /pkg/; Ctrl-C stops)`),
    (e) => {
      console.error(`serve: ${e.message}`);
      process.exit(1);
    },
  );
}
