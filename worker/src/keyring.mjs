// The service keyring: sealed in KEYRING_KV or KEYRING_SEALED, unsealed once per isolate.
import { Keyring } from "mailseal";
import { base64 } from "./base64.mjs";
import { config } from "./config.mjs";
import { HttpError } from "./http.mjs";
import { checkRevocation } from "./revocation.mjs";

/** @typedef {import("./config.mjs").Env} Env */

// A keyring sealed with a password (Keyring.seal) costs Argon2id (64 MiB, about a second of
// CPU) to open: far too much per request, and on a new isolate it alone can exceed a plan's CPU
// limit. A keyring sealed under a random key (Keyring.sealWithKey, secret KEYRING_KEY) opens in
// microseconds; worker/README.md says how to make one. Either way the unsealed Keyring is kept
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
