// POST /v1/protect: an outgoing notification signed and encrypted per recipient under the
// configured policy, answered as deliveries (JSON or multipart/mixed) or relayed through the
// SEND_EMAIL binding.
import { EmailMessage } from "cloudflare:email";
import { deliveriesMultipart, protect, senderAddress } from "mailseal";
import { addressKey, parsedAddress } from "./address.mjs";
import { base64 } from "./base64.mjs";
import { MAX_KEY_ANSWER, fetchCapped, fetchable } from "./fetching.mjs";
import { byteStream, HttpError, json, readBody } from "./http.mjs";
import { keyring } from "./keyring.mjs";

/** @typedef {import("mailseal").Keyring} Keyring */
/** @typedef {import("./config.mjs").Env} Env */
/** @typedef {import("./config.mjs").Config} Config */
/** @typedef {import("mailseal").Delivery} Delivery */

// ---- key lookups: recipients without a key -------------------------------------------------

// With KEY_LOOKUP = "on", before encrypting a notification the worker asks the package which
// recipients no allowed method can encrypt to (recipientsWithoutKey), fetches what the package
// says to try for each (lookupRequests: WKD advanced, WKD direct, then KEYSERVERS in order) and
// hands the first answer that holds a key for the address to importFound: an unverified key
// that remembers where it came from, kept in this isolate's keyring. A miss is not asked again
// for LOOKUP_RETRY_MINUTES (60); at most LOOKUP_MAX_RECIPIENTS (10) per request, each fetch with
// LOOKUP_TIMEOUT_MS (3000). What is not found falls to the policy's fallback as before.
const lookupMisses = new Map(); // address -> Date.now() of the last miss

/**
 * @param {Keyring} ring
 * @param {Uint8Array} body
 * @param {import("mailseal").Policy | undefined} policy
 * @param {Config} cfg
 */
async function lookUpMissingKeys(ring, body, policy, cfg) {
  if (!cfg.lookup.on) return;
  const missing = ring
    .recipientsWithoutKey(body, policy ? { policy } : undefined)
    .filter((a) => !(Date.now() - (lookupMisses.get(a) ?? -Infinity) < cfg.lookup.retryMs))
    .slice(0, cfg.lookup.maxRecipients);
  await Promise.all(
    missing.map(async (address) => {
      let requests = [];
      try {
        requests = ring.lookupRequests(address, { keyservers: cfg.lookup.keyservers });
      } catch {
        // Not a public host name (a local name, an address literal): nothing to ask.
      }
      for (const request of requests) {
        try {
          // The recipient's domain is the customer's to choose: the same guard, redirect rule
          // and size cap as the courier's /v1/lookup.
          const answer = await fetchCapped(fetchable(request.url, ["https:"]), {
            max: MAX_KEY_ANSWER,
            timeoutMs: cfg.lookup.timeoutMs,
            accept: request.accept,
          });
          if (!answer) continue;
          const found = ring.importFound(address, request.source, answer);
          lookupMisses.delete(address);
          console.log(JSON.stringify({ event: "key_found", source: request.source, keys: found.map((k) => k.id) }));
          return;
        } catch (e) {
          // An answer without a key for the address, a timeout, a DNS failure: try the next.
          if (e?.code && e.code !== "key_not_found") console.log(JSON.stringify({ event: "key_lookup_refused", source: request.source, code: e.code }));
        }
      }
      lookupMisses.set(address, Date.now());
      console.log(JSON.stringify({ event: "key_not_found", recipients: 1 }));
    }),
  );
}

// ---- POST /v1/protect ----------------------------------------------------------------------

/**
 * A yes/no query parameter: absent is `dflt`, "0" / "false" / "no" are no, anything else yes.
 * @param {string | null} v
 * @param {boolean} dflt
 */
const bool = (v, dflt) => (v == null ? dflt : !["0", "false", "no"].includes(v.toLowerCase()));

/**
 * @param {Request} request
 * @param {Env} env
 * @param {Config} cfg
 */
export async function handleProtect(request, env, cfg) {
  const body = await readBody(request, cfg.maxBody);
  const url = new URL(request.url);
  const ring = await keyring(env);
  const sign = bool(url.searchParams.get("sign"), true);
  const encrypt = bool(url.searchParams.get("encrypt"), true);
  // Any string: the package refuses a method it does not know (bad_input).
  const method = /** @type {import("mailseal").ProtectOptions["method"]} */ (url.searchParams.get("method") ?? undefined);
  const t0 = Date.now();
  // A caller may choose the fallback per notification (a confidential ticket: block).
  const fallback = url.searchParams.get("fallback");
  if (fallback && !["block", "send_plain", "problem_report"].includes(fallback)) {
    throw new HttpError(400, "bad_input", 'fallback must be "block", "send_plain" or "problem_report".');
  }
  const policy = fallback ? { ...cfg.policy, fallback } : cfg.policy;
  // ?relay=1 sends as a service address only: a caller with the token cannot make the worker
  // send in anyone else's name (checked before any signing).
  const relay = bool(url.searchParams.get("relay"), false);
  let from;
  if (relay) {
    if (!env.SEND_EMAIL) throw new HttpError(501, "no_relay", "No send_email binding is configured.");
    from = senderOf(body);
    if (!cfg.addresses.includes(addressKey(from))) {
      throw new HttpError(403, "relay_refused", "Only mail from a service address (SERVICE_ADDRESSES) is relayed.");
    }
  }
  // ?group=NAME holds the message to that policy group's defaults (the library refuses less
  // unless ?confirm_downgrade=1), as the composer does.
  const group = url.searchParams.get("group") ?? undefined;
  const confirmDowngrade = bool(url.searchParams.get("confirm_downgrade"), false);
  if (encrypt) await lookUpMissingKeys(ring, body, policy, cfg);
  const out = await protect(ring, body, { sign, encrypt, method, policy, group, confirmDowngrade });
  const ms = Date.now() - t0;
  /** @type {Delivery[]} */
  const deliveries = out.deliveries.map((d) => ({
    to: d.to,
    method: d.method,
    signed: d.signed,
    encrypted: d.encrypted,
    problemReport: d.problemReport,
    mime: d.mime,
  }));

  const relayed = relay ? await relayDeliveries(env.SEND_EMAIL, from, deliveries, cfg) : undefined;
  console.log(
    JSON.stringify({
      event: "protect",
      ms,
      deliveries: deliveries.map((d) => ({ method: d.method, signed: d.signed, encrypted: d.encrypted, problemReport: d.problemReport, recipients: d.to.length })),
      relayed: relayed?.length,
    }),
  );

  if ((request.headers.get("accept") ?? "").includes("multipart/mixed")) {
    // One message/rfc822 part per copy, built by the package (RFC 2046 §5.1, §5.2.1).
    const { contentType, body } = deliveriesMultipart(deliveries);
    return new Response(body, { status: 200, headers: { "content-type": contentType } });
  }
  return json(200, {
    messageId: out.messageId,
    warnings: out.warnings,
    deliveries: deliveries.map((d) => ({ ...d, mime: base64.encode(d.mime) })),
    ...(relayed ? { relayed } : {}),
  });
}

/**
 * ?relay=1: every delivery sent through the SEND_EMAIL binding from the service address
 * `from`; the recipients reached.
 * @param {SendEmail} sendEmail
 * @param {string} from
 * @param {Delivery[]} deliveries
 * @param {Config} cfg
 */
async function relayDeliveries(sendEmail, from, deliveries, cfg) {
  // Every recipient allowed before anything is sent: no partial relay past a refusal.
  for (const d of deliveries) {
    for (const to of d.to) {
      if (!relayAllowed(cfg.relayRecipients, to)) {
        throw new HttpError(403, "relay_refused", `Relaying to ${to} is not allowed (RELAY_RECIPIENTS).`);
      }
    }
  }
  const relayed = [];
  for (const d of deliveries) {
    for (const to of d.to) {
      try {
        await sendEmail.send(new EmailMessage(from, to, byteStream(d.mime)));
      } catch (e) {
        // The binding's refusals name addresses and rules, never content.
        throw new HttpError(502, "relay_failed", `Sending to ${to} failed: ${e?.message ?? "error"}`, relayed);
      }
      relayed.push(to);
    }
  }
  return relayed;
}

/**
 * Whether `address` matches the RELAY_RECIPIENTS list (an address, "@domain", or "*").
 * @param {string[]} allowed
 * @param {string} address
 */
function relayAllowed(allowed, address) {
  const parsed = parsedAddress(address);
  if (!parsed) return allowed.includes("*");
  const domain = `@${parsed.domain}`;
  return allowed.some((entry) => entry === "*" || entry === parsed.key || (entry.startsWith("@") && entry === domain));
}

/** The envelope sender for the relay: the From address of the notification, read by the
 * library from the header section (no full open, no audit event).
 * @param {Uint8Array} body
 */
function senderOf(body) {
  return senderAddress(body) ?? "";
}
