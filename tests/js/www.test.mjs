// scripts/serve.mjs (the `make demo` server): serves www/ and the built package with the right
// status codes and content types. Starts its own server on a free loopback port.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "./helpers.mjs";

const { startServer } = await import(join(ROOT, "scripts", "serve.mjs"));

describe("demo server", () => {
  let server;
  let base;

  before(async () => {
    ({ server, url: base } = await startServer({ host: "127.0.0.1", port: 0 }));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  async function get(path) {
    const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get("content-type"), body };
  }

  test("the page", async () => {
    const r = await get("/");
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/html/);
    const html = r.body.toString("utf8");
    assert.match(html, /<script type="importmap">/);
    assert.match(html, /"mailseal": "\/pkg\/web\.mjs"/);
    assert.match(html, /<script type="module" src="app\.mjs">/);
  });

  test("the page's script and the package's web build", async () => {
    for (const path of ["/app.mjs", "/pkg/web.mjs", "/pkg/dist/web/mailseal.js"]) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.match(r.type, /^text\/javascript/, path);
    }
    const app = (await get("/app.mjs")).body.toString("utf8");
    assert.match(app, /from "mailseal"/);
  });

  test("the .wasm, as application/wasm", async () => {
    const r = await get("/pkg/dist/web/mailseal_bg.wasm");
    assert.equal(r.status, 200);
    assert.equal(r.type, "application/wasm");
    assert.deepEqual([...r.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "wasm magic");
    assert.ok(WebAssembly.validate(r.body), "served bytes are a valid wasm module");
  });

  test("demo keys, when copied (make demo-keys)", async (t) => {
    if (!existsSync(join(ROOT, "www", "demo-keys", "manifest.json"))) return t.skip("www/demo-keys not built");
    const r = await get("/demo-keys/manifest.json");
    assert.equal(r.status, 200);
    assert.match(r.type, /^application\/json/);
    const manifest = JSON.parse(r.body.toString("utf8"));
    assert.ok(manifest.keys.length > 0);
    for (const k of manifest.keys) assert.equal((await get(`/demo-keys/${k.file}`)).status, 200, k.file);
    // Two agents and two customers, each with keys of both standards.
    const roles = new Set(manifest.keys.map((k) => `${k.role}:${k.name}`));
    assert.ok(roles.has("agent:Alice (agent)") && roles.has("agent:Bob (agent)"));
    assert.ok(roles.has("customer:Carol (customer)") && roles.has("customer:Dave (customer)"));
  });

  test("demo messages, when written (make demo-keys)", async (t) => {
    if (!existsSync(join(ROOT, "www", "demo-messages", "manifest.json"))) return t.skip("www/demo-messages not built");
    const manifest = JSON.parse((await get("/demo-messages/manifest.json")).body.toString("utf8"));
    assert.ok(manifest.messages.length >= 6);
    for (const m of manifest.messages) {
      const r = await get(`/demo-messages/${m.file}`);
      assert.equal(r.status, 200, m.file);
      assert.match(r.body.toString("latin1"), /^From: /im, m.file);
    }
  });

  test("missing files and paths outside www/ and pkg/ are 404", async () => {
    assert.equal((await get("/nope.html")).status, 404);
    assert.equal((await get("/%2e%2e/Cargo.toml")).status, 404);
    assert.equal((await get("/pkg/%2e%2e/Cargo.toml")).status, 404);
    assert.equal((await get("/pkg/..%2fCargo.toml")).status, 404);
  });
});

describe("demo server with a Worker behind /v1/ (--worker, the page's same-origin courier)", () => {
  let server;
  let base;
  const asked = [];

  before(async () => {
    ({ server, url: base } = await startServer({
      host: "127.0.0.1",
      port: 0,
      proxy: async (request) => {
        asked.push({ method: request.method, url: request.url, auth: request.headers.get("authorization"), cookie: request.headers.get("cookie") });
        return new Response(JSON.stringify({ error: "unauthorized" }), { status: 401, headers: { "content-type": "application/json", "www-authenticate": "Bearer", "set-cookie": "x=1" } });
      },
    }));
  });
  after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  test("/v1/* goes to the Worker with the token, the rest is still files", async () => {
    const res = await fetch(new URL("/v1/lookup?address=a%40example.net", base), { headers: { authorization: "Bearer t", cookie: "c=1" } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("www-authenticate"), "Bearer");
    assert.equal(res.headers.get("set-cookie"), null, "only the headers the page needs come back");
    assert.deepEqual(await res.json(), { error: "unauthorized" });
    assert.deepEqual(asked, [{ method: "GET", url: "http://localhost/v1/lookup?address=a%40example.net", auth: "Bearer t", cookie: null }]);
    assert.equal((await fetch(new URL("/app.mjs", base))).status, 200);
    assert.equal(asked.length, 1);
  });
});
