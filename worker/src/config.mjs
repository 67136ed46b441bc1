// The Worker's configuration: wrangler.toml vars and secrets (env), read once per request into
// one plain object, so a wrong value is a 500 `config` before any key is touched.
import { HttpError } from "./http.mjs";

/**
 * The bindings and variables the Worker reads (wrangler.toml, README.md). Variables are strings.
 * @typedef {object} Env
 * @property {string} [API_TOKEN]
 * @property {string} [COURIER_TOKEN]
 * @property {string} [SERVICE_ADDRESSES]
 * @property {string} [RELAY_RECIPIENTS]
 * @property {string} [HELPDESK_ADDRESS]
 * @property {string} [INBOUND_MODE]
 * @property {string} [POLICY]
 * @property {string} [MAX_BODY_BYTES]
 * @property {string} [KEYSERVERS]
 * @property {string} [KEY_LOOKUP]
 * @property {string} [LOOKUP_TIMEOUT_MS]
 * @property {string} [LOOKUP_RETRY_MINUTES]
 * @property {string} [LOOKUP_MAX_RECIPIENTS]
 * @property {string} [REVOCATION_FETCH]
 * @property {string} [REVOCATION_TIMEOUT_MS]
 * @property {string} [REVOCATION_RETRY_MINUTES]
 * @property {string} [CRL_FETCH]
 * @property {string} [CRL_TIMEOUT_MS]
 * @property {string} [CRL_RETRY_MINUTES]
 * @property {string} [UNCHECKED_REVOCATION]
 * @property {KVNamespace} [KEYRING_KV]
 * @property {string} [KEYRING_KV_KEY]
 * @property {string} [KEYRING_SEALED]
 * @property {string} [KEYRING_KEY]
 * @property {string} [KEYRING_PASSWORD]
 * @property {string} [TEAM_BUNDLE]
 * @property {string} [TEAM_BUNDLE_KV_KEY]
 * @property {string} [TEAM_PIN]
 * @property {string} [MEMBER_NAME]
 * @property {SendEmail} [SEND_EMAIL]
 * @property {SendEmail} [INBOUND_RELAY]
 */

/** @typedef {ReturnType<typeof config>} Config */

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

/** @param {Env} env */
export function config(env) {
  /** @param {unknown} v */
  const list = (v) =>
    String(v ?? "")
      .split(/[\s,]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  let policy;
  try {
    policy = env.POLICY ? JSON.parse(env.POLICY) : undefined;
  } catch {
    throw new HttpError(500, "config", "POLICY is not valid JSON.");
  }
  let keyservers;
  try {
    keyservers = env.KEYSERVERS ? JSON.parse(env.KEYSERVERS) : [];
  } catch {
    throw new HttpError(500, "config", "KEYSERVERS is not valid JSON.");
  }
  const max = Number(env.MAX_BODY_BYTES ?? DEFAULT_MAX_BODY);
  const unchecked = String(env.UNCHECKED_REVOCATION ?? "").trim().toLowerCase();
  if (unchecked && !["pass", "warn", "block"].includes(unchecked)) {
    throw new HttpError(500, "config", 'UNCHECKED_REVOCATION must be "pass", "warn" or "block".');
  }
  /** @param {unknown} v */
  const on = (v) => String(v ?? "").toLowerCase() === "on";
  return {
    addresses: list(env.SERVICE_ADDRESSES),
    // Who ?relay=1 may send to: addresses and "@domain" entries, or "*" for anyone.
    relayRecipients: list(env.RELAY_RECIPIENTS),
    destination: String(env.HELPDESK_ADDRESS ?? "").trim(),
    inboundMode: env.INBOUND_MODE === "original" ? "original" : "decrypted",
    policy,
    maxBody: Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX_BODY,
    lookup: {
      on: String(env.KEY_LOOKUP ?? "").toLowerCase() === "on",
      keyservers,
      timeoutMs: Number(env.LOOKUP_TIMEOUT_MS ?? 3000),
      retryMs: Number(env.LOOKUP_RETRY_MINUTES ?? 60) * 60_000,
      maxRecipients: Number(env.LOOKUP_MAX_RECIPIENTS ?? 10),
    },
    revocation: {
      // REVOCATION_FETCH; CRL_FETCH is its older name (CRLs only then) and turns it on too.
      on: on(env.REVOCATION_FETCH) || on(env.CRL_FETCH),
      timeoutMs: Number(env.REVOCATION_TIMEOUT_MS ?? env.CRL_TIMEOUT_MS ?? 3000),
      retryMs: Number(env.REVOCATION_RETRY_MINUTES ?? env.CRL_RETRY_MINUTES ?? 10) * 60_000,
      // What open does with a signature whose revocation could not be checked; unset: the
      // POLICY's uncheckedRevocation, else the keyring's stored policy (default "pass").
      unchecked: unchecked || policy?.uncheckedRevocation || undefined,
    },
  };
}
