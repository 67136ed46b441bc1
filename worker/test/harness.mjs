// Runs the worker as deployed: `wrangler deploy --dry-run` bundles it (the package resolved
// through its `workerd` export condition, the .wasm as a CompiledWasm module), then Miniflare
// runs that bundle in workerd with the bindings of wrangler.toml. Local only: no metrics, no
// cf fetch, nothing leaves the machine.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Keyring } from "mailseal";
import { Log, LogLevel, Miniflare } from "miniflare";
import { parse } from "smol-toml";

process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

export const WORKER = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DATA = join(WORKER, "..", "tests", "data");
export const DATA = join(WORKER, "test", "data");
export const TOKEN = "test-token-4d1f0c";
export const PASSWORD = "unseal-me-in-tests";
export const HELPDESK = "desk-inbox@example.net";
// support@example.com: S/MIME + OpenPGP (worker/test/data); bob@example.com (S/MIME) and
// bob@example.org (OpenPGP): the repository's openssl / gpg fixtures (tests/data).
export const SERVICE = ["support@example.com", "bob@example.com", "bob@example.org"];

export const repoFile = (p) => readFileSync(join(REPO_DATA, p));
export const dataFile = (p) => readFileSync(join(DATA, p));

/** The service keyring, sealed in Node with the package, as an admin would make it. */
/** The service keyring sealed with PASSWORD, or under `key` (32 bytes: Keyring.sealWithKey);
 * `extra`: more [bytes, import options] to import. */
export function sealedServiceKeyring(key, extra = []) {
  const ring = new Keyring();
  for (const [bytes, opts] of extra) ring.import(bytes, opts);
  ring.import(repoFile("smime/root-ca.crt"), { trusted: true });
  ring.import(dataFile("worker-ca.crt"), { trusted: true });
  ring.import(repoFile("smime/int-ca.crt"));
  ring.import(Buffer.concat([dataFile("support.crt"), dataFile("support.key")]));
  ring.import(dataFile("support.sec.asc"));
  ring.import(Buffer.concat([repoFile("smime/bob.crt"), repoFile("smime/bob.key")]));
  ring.import(repoFile("openpgp/bob.sec.asc"));
  // Correspondents: alice has an S/MIME certificate (alice@example.com) and an OpenPGP key
  // (alice@example.org).
  // Alice's OpenPGP key is verified by the admin (trusted): only such keys make a signature valid.
  ring.import(repoFile("smime/alice.crt"));
  ring.import(repoFile("openpgp/alice.pub.asc"), { trusted: true });
  const sealed = key ? ring.sealWithKey(key) : ring.seal(PASSWORD);
  ring.free();
  return sealed;
}

let bundle;
/** `wrangler deploy --dry-run --outdir`: the exact upload, built once per test process. */
export function bundleWorker(outdir = process.env.MAILSEAL_WORKER_BUNDLE) {
  if (bundle) return bundle;
  // `make test-worker` bundles once for all test files (MAILSEAL_WORKER_BUNDLE).
  if (outdir && existsSync(join(outdir, "index.js"))) {
    bundle = { outdir, script: join(outdir, "index.js") };
    return bundle;
  }
  outdir ??= mkdtempSync(join(tmpdir(), "mailseal-worker-"));
  execFileSync(
    process.execPath,
    [join(WORKER, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", outdir],
    { cwd: WORKER, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CI: process.env.CI ?? "" } },
  );
  const files = readdirSync(outdir);
  if (!files.includes("index.js") || !files.some((f) => f.endsWith(".wasm"))) {
    throw new Error(`wrangler produced no worker bundle in ${outdir}: ${files.join(", ")}`);
  }
  bundle = { outdir, script: join(outdir, "index.js") };
  return bundle;
}

export const wranglerConfig = () => parse(readFileSync(join(WORKER, "wrangler.toml"), "utf8"));

/** Captures Miniflare's own log lines (forward / send_email simulation) and worker output. */
class CaptureLog extends Log {
  constructor(lines) {
    super(LogLevel.DEBUG);
    this.lines = lines;
  }
  logWithLevel(level, message) {
    this.lines.push(stripAnsi(String(message)));
  }
}
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

/**
 * A running worker. `vars` override wrangler.toml's [vars]; `sealed: null` leaves the KV empty;
 * `outbound(request)` answers the worker's fetch() calls.
 * Returns { mf, fetch, email, logs, stdio, sent(), forwarded(), dispose }.
 */
export async function startWorker({ vars = {}, secrets = {}, sealed, outbound } = {}) {
  const cfg = wranglerConfig();
  const { script } = bundleWorker();
  const logs = [];
  const stdio = [];
  const collect = (stream) => stream.on("data", (b) => stdio.push(b.toString("utf8")));
  const mf = new Miniflare({
    scriptPath: script,
    modules: true,
    modulesRoot: dirname(script),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: cfg.compatibility_date,
    compatibilityFlags: cfg.compatibility_flags ?? [],
    // A binding set to undefined by a test is left out (e.g. no KEYRING_PASSWORD).
    bindings: Object.fromEntries(
      Object.entries({
        ...cfg.vars,
        SERVICE_ADDRESSES: SERVICE.join(", "),
        HELPDESK_ADDRESS: HELPDESK,
        API_TOKEN: TOKEN,
        KEYRING_PASSWORD: PASSWORD,
        ...vars,
        ...secrets,
      }).filter(([, v]) => v !== undefined),
    ),
    kvNamespaces: cfg.kv_namespaces.map((k) => k.binding),
    email: {
      send_email: cfg.send_email.map((b) =>
        b.destination_address ? { name: b.name, destination_address: HELPDESK } : { name: b.name },
      ),
    },
    // The worker's own fetch() calls (CRLs): answered by the test, never the network.
    outboundService: outbound ?? (() => new Response("no network in tests", { status: 502 })),
    unsafeTriggerHandlers: true,
    log: new CaptureLog(logs),
    handleRuntimeStdio(stdout, stderr) {
      collect(stdout);
      collect(stderr);
    },
  });
  const kvName = cfg.kv_namespaces[0].binding;
  try {
    await mf.ready;
  } catch (e) {
    throw new Error(`workerd did not start: ${e.message}\n${stdio.join("")}`);
  }
  if (sealed !== null) {
    const kv = await mf.getKVNamespace(kvName);
    await kv.put(cfg.vars.KEYRING_KV_KEY, sealed ?? sealedServiceKeyring());
  }
  const base = "http://localhost";
  return {
    mf,
    logs,
    stdio,
    fetch: (path, init) => mf.dispatchFetch(base + path, init),
    /** Email Routing's local simulation: POST the raw mail with envelope from / to. */
    email: (from, to, raw) =>
      mf.dispatchFetch(`${base}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
        method: "POST",
        body: raw,
      }),
    /** Messages the worker gave a send_email binding (Miniflare stores each as a .eml file). */
    sent() {
      return logs
        .filter((l) => l.includes("send_email binding called with the following message"))
        .map((l) => readFileSync(l.split("\n").at(-1).trim()));
    },
    /** message.forward() calls: { rcptTo, headers: {lowercased name: value} }. */
    forwarded() {
      return logs
        .filter((l) => l.startsWith("Email handler forwarded message"))
        .map((l) => {
          const rcptTo = /rcptTo: (.*)/.exec(l)[1].trim();
          const headers = {};
          for (const m of l.matchAll(/^ {4}([^:]+): (.*)$/gm)) headers[m[1].toLowerCase()] = m[2];
          return { rcptTo, headers };
        });
    },
    dispose: () => mf.dispose(),
  };
}

/** The JSON log events named `name` that worker `w` (from startWorker) wrote to stdout. */
export const eventsOf = (w, name) =>
  w.stdio
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .filter((e) => e.event === name);

/** Headers of a raw message (unfolded), lowercased names, first occurrence. Test helper only. */
export function headersOf(raw) {
  const text = Buffer.from(raw).toString("latin1");
  const head = text.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const out = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

/** Runs a tool; a missing tool skips the test, or fails it under CI (CI set to anything but
 * "" / "false": CI runs with CI=true, which the old `=== "1"` check never matched). */
export function have(tool, t) {
  try {
    execFileSync(tool, [tool === "openssl" ? "version" : "--version"], { stdio: "ignore" });
    return true;
  } catch {
    if (underCi()) throw new Error(`${tool} is required under CI (CI=${process.env.CI})`);
    t.skip(`${tool} not installed`);
    return false;
  }
}

/** Running under CI: a test that cannot run there must fail, not skip. */
export const underCi = () => !["", "0", "false", undefined].includes(process.env.CI);

// `node test/harness.mjs bundle DIR`: bundle once (make test-worker).
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "bundle") {
  bundleWorker(process.argv[3]);
}
