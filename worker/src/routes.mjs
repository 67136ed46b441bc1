// The HTTP side: which route answers a request, who may call it (the bearer tokens), and how
// an error becomes an answer. The small routes live here; protect, the courier and the team's
// member key have modules of their own.
import { cryptoProvider } from "mailseal";
import { addressKey } from "./address.mjs";
import { base64 } from "./base64.mjs";
import { config } from "./config.mjs";
import { handleLookup, handleRevocation } from "./courier.mjs";
import { HttpError, authorized, json, readBody } from "./http.mjs";
import { keyring } from "./keyring.mjs";
import { handleProtect } from "./protect.mjs";
import { handleMember, openWithTeam, team, teamHealth } from "./team.mjs";

/** @typedef {import("mailseal").Keyring} Keyring */
/** @typedef {import("./config.mjs").Env} Env */
/** @typedef {import("./config.mjs").Config} Config */

/** Error codes of the package that mean "the request is wrong", not "the worker is broken". */
const CLIENT_CODES = new Map([
  ["bad_input", 400],
  ["malformed_message", 400],
  ["unsupported_format", 400],
  ["unsupported_algorithm", 400],
  ["too_large", 413],
  ["recipient_key_missing", 422],
  ["sender_key_missing", 422],
  ["downgrade_not_confirmed", 422],
  ["certificate_missing", 422],
  ["key_not_found", 404],
]);

/**
 * POST /v1/open: the package's `open` result as JSON (attachments base64).
 * @param {Request} request
 * @param {Env} env
 * @param {Config} cfg
 */
async function handleOpen(request, env, cfg) {
  const body = await readBody(request, cfg.maxBody);
  const ring = await keyring(env);
  const t0 = Date.now();
  const { opened, team: teamAddress } = await openWithTeam(env, ring, body, cfg);
  const ms = Date.now() - t0;
  console.log(JSON.stringify({ event: "open", ms, encryption: opened.encryption.state, signature: opened.signature.state, revocation: opened.signature.revocation, ...(teamAddress ? { team: teamAddress } : {}) }));
  return json(200, {
    ...opened,
    attachments: opened.attachments.map((a) => ({ ...a, data: base64.encode(a.data) })),
  });
}

/**
 * Readiness. Without the token only `ready` (and 500 `config` without its message): a probe
 * needs no more, and the details (service addresses, key ids, which keys are exposed to Marvin,
 * what is misconfigured) are for the operator.
 * @param {Env} env
 * @param {Config} cfg
 * @param {boolean} detailed
 */
async function handleHealth(env, cfg, detailed) {
  let ring;
  try {
    ring = await keyring(env);
  } catch (e) {
    if (!detailed && e instanceof HttpError) return json(e.status, { ready: false, error: e.code });
    throw e;
  }
  const readiness = ring.check({ addresses: cfg.addresses });
  // The team's address is ready through the team's keyring while the Worker is a member.
  const t = await team(env, ring);
  if (t) {
    const [own] = t.keyring.check({ addresses: [t.address] }).addresses;
    readiness.addresses = readiness.addresses.map((a) => (a.address === own.address ? own : a));
  }
  const ready =
    cfg.addresses.length > 0 &&
    readiness.addresses.every((a) => a.methods.some((m) => m.canDecrypt) && a.methods.some((m) => m.canSign));
  if (!detailed) return json(ready ? 200 : 503, { ready });
  // RSA decryption keys answer attacker-chosen PKCS#1 v1.5 ciphertexts (Marvin): name them.
  const rsaDecryptionKeys = ring
    .list()
    .filter((k) => k.hasSecret && k.canEncrypt && /^rsa/i.test(k.algorithm))
    .map((k) => ({ id: k.id, kind: k.kind, emails: k.emails, algorithm: k.algorithm }));
  // Which crypto takes the bulk of large messages here: "webcrypto" in workerd.
  const teamInfo = teamHealth(t, env);
  return json(ready ? 200 : 503, { ready, ...readiness, rsaDecryptionKeys, crypto: cryptoProvider(), ...(teamInfo ? { team: teamInfo } : {}) });
}

/**
 * GET /v1/keys/:address (no token): the valid public certificates / keys for an address.
 * @param {Keyring} ring
 * @param {string} address
 */
function handleKeys(ring, address) {
  // Key e-mails are in the library's key form already.
  const wanted = addressKey(address);
  const keys = ring
    .list()
    .filter((k) => wanted !== "" && k.emails.includes(wanted) && k.status === "valid")
    .map((k) => ({
      id: k.id,
      kind: k.kind,
      emails: k.emails,
      algorithm: k.algorithm,
      expires: k.expires,
      canEncrypt: k.canEncrypt,
      canSign: k.canSign,
      publicKey: ring.exportPublic(k.id),
    }));
  if (keys.length === 0) return json(404, { error: "key_not_found", message: "No key for this address." });
  return json(200, { address: wanted, keys });
}

/**
 * @param {Request} request
 * @param {Env} env
 * @returns {Promise<Response>}
 */
async function route(request, env) {
  const cfg = config(env);
  const url = new URL(request.url);
  const path = url.pathname;
  if (request.method === "GET" && path === "/v1/health") return handleHealth(env, cfg, await authorized(request, env));
  const keys = /^\/v1\/keys\/([^/]+)$/.exec(path);
  if (request.method === "GET" && keys) {
    let address;
    try {
      address = decodeURIComponent(keys[1]);
    } catch {
      throw new HttpError(400, "bad_input", "The address is not valid.");
    }
    return handleKeys(await keyring(env), address);
  }
  if (!path.startsWith("/v1/")) return json(404, { error: "not_found", message: "No such route." });
  // Everything else under /v1 needs the token, checked before the body is read. The fetching
  // routes also take COURIER_TOKEN: a token for the help-desk page, which keeps it in the
  // browser, that cannot open or sign mail with the service keys.
  const fetching = request.method === "GET" && (path === "/v1/lookup" || path === "/v1/revocation");
  if (!((await authorized(request, env)) || (fetching && (await authorized(request, env, "COURIER_TOKEN"))))) {
    return json(401, { error: "unauthorized", message: "A valid bearer token is required." }, { "www-authenticate": "Bearer" });
  }
  if (request.method === "GET" && path === "/v1/lookup") return handleLookup(url, env, cfg);
  if (request.method === "GET" && path === "/v1/revocation") return handleRevocation(url, cfg);
  if (request.method === "GET" && path === "/v1/member") return handleMember(env);
  if (path === "/v1/protect" || path === "/v1/open") {
    if (request.method !== "POST") return json(405, { error: "method_not_allowed", message: "Use POST." }, { allow: "POST" });
    return path === "/v1/protect" ? handleProtect(request, env, cfg) : handleOpen(request, env, cfg);
  }
  return json(404, { error: "not_found", message: "No such route." });
}

/**
 * The Worker's fetch(): the route's answer, marked never to be sniffed.
 * @param {Request} request
 * @param {Env} env
 */
export async function fetchHandler(request, env) {
  const answer = await answerOf(request, env);
  // The Worker is routed under the desk's origin: no answer (a fetched CRL, a message) may be
  // sniffed into something a browser runs.
  answer.headers.set("x-content-type-options", "nosniff");
  return answer;
}

/**
 * `route`, with every error answered as JSON `{ error, message }`.
 * @param {Request} request
 * @param {Env} env
 * @returns {Promise<Response>}
 */
async function answerOf(request, env) {
  try {
    return await route(request, env);
  } catch (e) {
    if (e instanceof HttpError) {
      if (e.status >= 500) console.error(JSON.stringify({ event: "fault", code: e.code }));
      return json(e.status, { error: e.code, message: e.message, ...(e.relayed ? { relayed: e.relayed } : {}) });
    }
    const status = CLIENT_CODES.get(e?.code);
    if (status) return json(status, { error: e.code, message: String(e.message ?? "") });
    // A real fault: no message (it could quote input), only the code if the package gave one.
    console.error(JSON.stringify({ event: "fault", code: e?.code ?? "exception", name: e?.name }));
    return json(500, { error: "internal", message: "The request could not be processed." });
  }
}
