// The service keyring: sealed in KEYRING_KV or KEYRING_SEALED, unsealed once per isolate.
import { env as startupEnv } from "cloudflare:workers";
import { Keyring } from "mailseal";
import { base64 } from "./base64.mjs";
import { config } from "./config.mjs";
import { HttpError } from "./http.mjs";
import { checkRevocation } from "./revocation.mjs";

/** @typedef {import("./config.mjs").Env} Env */

// A keyring sealed with a password (Keyring.seal) costs Argon2id (64 MiB, about a second of
// CPU) to open: far too much per request, and on a new isolate it alone can exceed a plan's CPU
// limit. A keyring sealed under a random key (Keyring.sealWithKey, secret KEYRING_KEY) opens in
// milliseconds; worker/README.md says how to make one. Either way the unsealed Keyring is kept
// in module scope, keyed by a digest of the sealed bytes and the secret, so a new keyring in KV
// (or a rotated secret) is picked up on the next request.
/** @type {{ digest: string, ring?: Keyring, failed?: string, unsealMs?: number } | null} */
let cached = null; // { digest, ring } or { digest, failed }

/** The digest of the sealed keyring and secret in use (team.mjs keys its own cache on it). */
export function keyringDigest() {
  return cached?.digest;
}

/** @param {Env} env */
export async function sealedKeyring(env) {
  if (env.KEYRING_KV) {
    const value = await env.KEYRING_KV.get(env.KEYRING_KV_KEY || "keyring", "arrayBuffer");
    if (value) return new Uint8Array(value);
  }
  if (env.KEYRING_SEALED) return base64.decode(String(env.KEYRING_SEALED).trim());
  throw new HttpError(500, "config", "No sealed keyring is configured.");
}

/**
 * The secret that opens the keyring: KEYRING_KEY (base64 of 32 random bytes) or KEYRING_PASSWORD.
 * @param {Env} env
 * @returns {{ key?: Uint8Array, password?: string, bytes: Uint8Array }}
 */
export function keyringSecret(env) {
  if (env.KEYRING_KEY) {
    let key;
    try {
      key = base64.decode(String(env.KEYRING_KEY).trim());
    } catch {
      throw new HttpError(500, "config", "KEYRING_KEY is not base64.");
    }
    if (key.length !== 32) throw new HttpError(500, "config", "KEYRING_KEY must be 32 bytes (base64).");
    return { key, bytes: key };
  }
  if (env.KEYRING_PASSWORD) return { password: env.KEYRING_PASSWORD, bytes: new TextEncoder().encode(env.KEYRING_PASSWORD) };
  throw new HttpError(500, "config", "Neither KEYRING_KEY nor KEYRING_PASSWORD is set.");
}

/**
 * The unsealed service keyring, its own revocation checked (REVOCATION_FETCH).
 * @param {Env} env
 * @returns {Promise<Keyring>}
 */
export async function keyring(env) {
  const secret = keyringSecret(env);
  const sealed = await sealedKeyring(env);
  const both = new Uint8Array(sealed.length + secret.bytes.length + 1);
  both.set(sealed, 0);
  both.set(secret.bytes, sealed.length + 1);
  const digest = base64.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", both)));
  if (cached?.digest === digest) {
    if (cached.failed) throw new HttpError(500, "config", cached.failed);
    await checkRevocation(cached.ring, config(env));
    return cached.ring;
  }
  const fromStartup = takeStartupKeyring(sealed, secret);
  if (fromStartup) {
    cached?.ring?.free?.();
    cached = { digest, ring: fromStartup };
    await checkRevocation(fromStartup, config(env));
    return fromStartup;
  }
  const t0 = Date.now();
  let ring;
  try {
    ring = secret.key ? Keyring.unsealWithKey(sealed, secret.key) : Keyring.unseal(sealed, secret.password);
  } catch (e) {
    // Remember the failure too: an unauthenticated /v1/health must not buy a second of
    // Argon2 per request with a wrong password configured.
    const failed = `The sealed keyring could not be opened (${e?.code ?? "error"}).`;
    cached?.ring?.free?.();
    cached = { digest, failed };
    throw new HttpError(500, "config", failed);
  }
  // Release the replaced keyring's wasm memory (its secrets are zeroized on drop).
  cached?.ring?.free?.();
  cached = { digest, ring, unsealMs: Date.now() - t0 };
  console.log(JSON.stringify({ event: "keyring_unsealed", ms: cached.unsealMs }));
  await checkRevocation(ring, config(env));
  return ring;
}

// ---- opened while the isolate starts ------------------------------------------------------

// A keyring in the KEYRING_SEALED secret under KEYRING_KEY is opened at the module's top level,
// which Cloudflare runs when it starts the isolate (often during the TLS handshake), before and
// outside any request's CPU time: the first request finds it open instead of paying for the
// unseal and for compiling its code (benches/RESULTS.md, workerd). Not a keyring in KV (no I/O
// at the top level) and not one sealed with a password (Argon2id would exceed the startup limit).
// The first request takes it only if its own sealed bytes and key are the same; anything that
// fails here is left for that request to open again and report.
/** @type {{ sealed: Uint8Array, key: Uint8Array, ring: Keyring } | null} */
let atStartup = openAtStartup(startupEnv);

/** @param {Env | undefined} env */
function openAtStartup(env) {
  if (!env?.KEYRING_SEALED || !env.KEYRING_KEY) return null;
  try {
    const sealed = base64.decode(String(env.KEYRING_SEALED).trim());
    const { key } = keyringSecret(env);
    if (!key) return null;
    const ring = Keyring.unsealWithKey(sealed, key);
    console.log(JSON.stringify({ event: "keyring_unsealed", at: "startup" }));
    return { sealed, key, ring };
  } catch {
    return null;
  }
}

/**
 * The keyring opened at startup if `sealed` and `secret` are what it was opened from (handed
 * out once); otherwise null, and a keyring opened from other bytes is released.
 * @param {Uint8Array} sealed
 * @param {{ key?: Uint8Array }} secret
 */
function takeStartupKeyring(sealed, secret) {
  const start = atStartup;
  if (!start) return null;
  atStartup = null;
  if (secret.key && sameBytes(start.sealed, sealed) && sameBytes(start.key, secret.key)) return start.ring;
  start.ring.free();
  return null;
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
