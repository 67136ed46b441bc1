// mailseal in Cloudflare Workers: the help desk's server-side jobs, one request at a time.
//
//   email()              Email Routing: open inbound mail for the service addresses with the
//                        service keys and pass it to the help desk with the report as headers.
//   POST /v1/protect     sign / encrypt an outgoing notification under the configured policy.
//   POST /v1/open        the same report as email(), for a help desk that prefers to call it.
//   GET  /v1/health      readiness; with the token also which service addresses can sign /
//                        decrypt, what expires, which keys face Marvin.
//   GET  /v1/keys/:addr  the public certificates / keys for an address.
//   GET  /v1/member      the Worker's member key for a team (TEAM_BUNDLE: team mail opened
//                        with the team's keyring while the Worker is a member).
//   GET  /v1/lookup, /v1/revocation
//                        the page's courier: a key for an address (WKD, KEYSERVERS), a CRL or
//                        an OCSP answer;
//                        with API_TOKEN or COURIER_TOKEN (the page's token, these two only).
//
// Plaintext lives only in this request's memory; nothing here logs content (only codes and
// states). Configuration: see wrangler.toml and README.md.
import { EmailMessage } from "cloudflare:email";
import { Keyring, cryptoProvider, open, protect, senderAddress } from "mailseal";
import { headerValue, reportHeaders } from "./report.mjs";
import { base64 } from "./base64.mjs";

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

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

class HttpError extends Error {
  constructor(status, code, message, relayed) {
    super(message);
    this.status = status;
    this.code = code;
    this.relayed = relayed;
  }
}

// ---- configuration ----------------------------------------------------------------------

function config(env) {
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

// ---- keyring: unseal once per isolate -----------------------------------------------------

// A keyring sealed with a password (Keyring.seal) costs Argon2id (64 MiB, about a second of
// CPU) to open: far too much per request, and on a new isolate it alone can exceed a plan's CPU
// limit. A keyring sealed under a random key (Keyring.sealWithKey, secret KEYRING_KEY) opens in
// microseconds; worker/README.md says how to make one. Either way the unsealed Keyring is kept
// in module scope, keyed by a digest of the sealed bytes and the secret, so a new keyring in KV
// (or a rotated secret) is picked up on the next request.
let cached = null; // { digest, ring } or { digest, failed }

async function sealedKeyring(env) {
  if (env.KEYRING_KV) {
    const value = await env.KEYRING_KV.get(env.KEYRING_KV_KEY || "keyring", "arrayBuffer");
    if (value) return new Uint8Array(value);
  }
  if (env.KEYRING_SEALED) return base64.decode(String(env.KEYRING_SEALED).trim());
  throw new HttpError(500, "config", "No sealed keyring is configured.");
}

/** The secret that opens the keyring: KEYRING_KEY (base64 of 32 random bytes) or KEYRING_PASSWORD. */
function keyringSecret(env) {
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

async function keyring(env) {
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

// ---- teams: the Worker as a member (docs/team.md) ------------------------------------------

// With TEAM_BUNDLE (base64 of a team bundle) or TEAM_BUNDLE_KV_KEY (the bundle's key in
// KEYRING_KV), mail to the team's address that the Worker's own keys cannot decrypt is opened
// with the team's keyring, if the Worker's member key (its keyring's, GET /v1/member) is one of
// the team's members. The team is opened once per isolate and bundle (its chain checked, rollback
// refused against what this isolate's keyring saw, the team key unwrapped); a bundle the Worker
// is not a member of (never added, or removed) is logged as `team_not_a_member` and nothing is
// decrypted with it. A refusal is remembered per bundle, as a failed unseal is.
let teamCached = null; // { digest, team } or { digest, code }

async function teamBundle(env) {
  if (env.TEAM_BUNDLE_KV_KEY && env.KEYRING_KV) {
    const value = await env.KEYRING_KV.get(env.TEAM_BUNDLE_KV_KEY, "arrayBuffer");
    if (value) return new Uint8Array(value);
  }
  if (env.TEAM_BUNDLE) {
    try {
      return base64.decode(String(env.TEAM_BUNDLE).trim());
    } catch {
      throw new HttpError(500, "config", "TEAM_BUNDLE is not base64.");
    }
  }
  return null;
}

/** The opened team ({ address, members, changes, keyring }) or null: none configured, or refused. */
async function team(env, ring) {
  const bundle = await teamBundle(env);
  if (!bundle) return null;
  const digest = `${cached?.digest}:${base64.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", bundle)))}`;
  if (teamCached?.digest === digest) return teamCached.team ?? null;
  teamCached?.team?.keyring?.free?.();
  try {
    const opened = ring.teamOpen(bundle);
    // The team's keyring holds the team's keys only: give it the Worker's public keys and their
    // trust (anchors, verified OpenPGP keys), so a signature on team mail is judged as on any other.
    for (const k of ring.list()) {
      try {
        opened.keyring.import(ring.exportPublic(k.id), { trusted: k.trust === "anchor" || k.trust === "verified" });
      } catch {
        // A key the team's keyring will not take (already there, unsupported): skip it.
      }
    }
    teamCached = { digest, team: opened };
    const last = opened.changes.at(-1);
    console.log(JSON.stringify({ event: "team_opened", address: opened.address, members: opened.members.length, change: last?.seq, kind: last?.kind }));
    return opened;
  } catch (e) {
    const code = e?.code ?? "internal";
    teamCached = { digest, code };
    // not_a_member: the Worker was never added, or was removed: it does not decrypt team mail.
    console.log(JSON.stringify({ event: code === "not_a_member" ? "team_not_a_member" : "team_refused", code }));
    return null;
  }
}

/** `openChecked` with the Worker's keys, then, when they hold no key for the message, the team's. */
async function openWithTeam(env, ring, raw, cfg) {
  const opened = await openChecked(ring, raw, cfg);
  if (opened.encryption.state !== "no_key") return { opened, ring };
  const t = await team(env, ring);
  if (!t) return { opened, ring };
  const again = await openChecked(t.keyring, raw, cfg);
  if (again.encryption.state === "no_key") return { opened, ring };
  return { opened: again, ring: t.keyring, team: t.address };
}

/**
 * GET /v1/member (API token): the Worker's member key `{ id, name, wrap }`, for a team member to
 * add (the name is MEMBER_NAME, default "Worker"). The key is made on first use inside the
 * keyring, so it must be sealed with it: with the keyring in KEYRING_KV and KEYRING_KEY the
 * Worker seals it again and writes it back (once); otherwise a new member key is refused
 * (409 member_key_not_sealed): make it with the package before sealing (README).
 */
async function handleMember(env) {
  const name = String(env.MEMBER_NAME ?? "").trim() || "Worker";
  const secret = keyringSecret(env);
  const sealed = await sealedKeyring(env);
  // A fresh copy: the cached keyring holds what this isolate learned (CRLs, found keys), which
  // is not written back.
  const unseal = () => (secret.key ? Keyring.unsealWithKey(sealed, secret.key) : Keyring.unseal(sealed, secret.password));
  const ring = unseal();
  const other = unseal();
  try {
    const member = ring.memberKey(name);
    // Two copies of the sealed keyring agree on the member key only if it was sealed in it.
    const sealedIn = other.memberKey(name).id === member.id;
    const kvKey = env.KEYRING_KV_KEY || "keyring";
    const fromKv = env.KEYRING_KV && (await env.KEYRING_KV.get(kvKey, "arrayBuffer"));
    if (!sealedIn) {
      if (!fromKv || !secret.key) {
        throw new HttpError(409, "member_key_not_sealed", "This keyring has no member key yet, and the Worker cannot seal one into it (it needs the keyring in KEYRING_KV and KEYRING_KEY). Make it with the package before sealing: ring.memberKey(\"Worker\").");
      }
      await env.KEYRING_KV.put(kvKey, ring.sealWithKey(secret.key));
      console.log(JSON.stringify({ event: "member_key_sealed", id: member.id }));
    }
    return json(200, member);
  } finally {
    ring.free();
    other.free();
  }
}

// ---- revocation: CRLs and OCSP ------------------------------------------------------------

// The package does no I/O: it names what to fetch and judges what was fetched. Two places ask:
// the keyring for its own certificates (revocationRequests: CRLs missing or past their
// nextUpdate, OCSP answers missing or no longer current), and `open` for the signer of a
// message (opened.revocationRequests, when signature.revocation is "unchecked": OCSP first
// when the certificate names a responder, else its CRL). With REVOCATION_FETCH = "on" (or its
// older name CRL_FETCH) the worker fetches both: the keyring's before serving a request, the
// signer's before reporting on the message, which is then opened once more. Each fetch is an
// RFC 6960 GET (OCSP) or a plain GET (CRL) through fetchable / fetchCapped (public host names,
// no redirects, size caps, REVOCATION_TIMEOUT_MS); importRevocation keeps only an answer its CA
// (or the CA's delegated responder) signed. A URL that failed is tried again only after
// REVOCATION_RETRY_MINUTES (10). What cannot be checked follows UNCHECKED_REVOCATION: "pass"
// (default: valid, revocation=unchecked), "warn" (valid with a warning) or "block" (untrusted).
// CRLs and OCSP answers stay in this isolate's keyring (never written back to KV) until their
// nextUpdate / currentUntil.
const revocationFailures = new Map(); // url -> Date.now() of the last failed attempt
const MAX_OCSP = 64 * 1024;

/** Fetches `requests` (of revocationRequests / opened.revocationRequests); how many were imported. */
async function fetchRevocations(ring, requests, cfg) {
  const { timeoutMs, retryMs } = cfg.revocation;
  const due = requests.filter((r) => !(Date.now() - (revocationFailures.get(r.url) ?? -Infinity) < retryMs));
  const seen = new Set();
  let imported = 0;
  await Promise.all(
    due.map(async (r) => {
      if (seen.has(r.url)) return;
      seen.add(r.url);
      const kind = ["ocsp", "issuer"].includes(r.kind) ? r.kind : "crl";
      try {
        const bytes = await fetchCapped(fetchable(r.url, ["http:", "https:"]), {
          max: kind === "ocsp" ? MAX_OCSP : MAX_CRL,
          timeoutMs,
          accept: kind === "ocsp" ? "application/ocsp-response" : undefined,
          statusError: true,
        });
        const info = ring.importRevocation(r, bytes);
        revocationFailures.delete(r.url);
        imported++;
        const what = kind === "crl" ? { revoked: info.crl?.revoked } : kind === "ocsp" ? { statuses: (info.ocsp ?? []).map((o) => o.status) } : {};
        console.log(JSON.stringify({ event: `${kind}_imported`, url: r.url, ...what }));
      } catch (e) {
        revocationFailures.set(r.url, Date.now());
        console.log(JSON.stringify({ event: `${kind}_fetch_failed`, url: r.url, code: e?.code ?? e?.name ?? "error" }));
      }
    }),
  );
  return imported;
}

/** The keyring's own certificates (CRLs and OCSP), before a request is served. */
async function checkRevocation(ring, cfg) {
  if (!cfg.revocation.on) return;
  await fetchRevocations(ring, ring.revocationRequests(), cfg);
}

/** `open` with the revocation policy; the signer's revocation fetched and the message opened again. */
async function openChecked(ring, raw, cfg) {
  const opts = cfg.revocation.unchecked ? { uncheckedRevocation: cfg.revocation.unchecked } : undefined;
  const opened = await open(ring, raw, opts);
  const requests = opened.revocationRequests ?? [];
  if (!cfg.revocation.on || requests.length === 0) return opened;
  if ((await fetchRevocations(ring, requests, cfg)) === 0) return opened;
  return open(ring, raw, opts);
}

// ---- key lookups: recipients without a key -------------------------------------------------

// With KEY_LOOKUP = "on", before encrypting a notification the worker asks the package which
// recipients no allowed method can encrypt to (recipientsWithoutKey), fetches what the package
// says to try for each (lookupRequests: WKD advanced, WKD direct, then KEYSERVERS in order) and
// hands the first answer that holds a key for the address to importFound: an unverified key
// that remembers where it came from, kept in this isolate's keyring. A miss is not asked again
// for LOOKUP_RETRY_MINUTES (60); at most LOOKUP_MAX_RECIPIENTS (10) per request, each fetch with
// LOOKUP_TIMEOUT_MS (3000). What is not found falls to the policy's fallback as before.
const lookupMisses = new Map(); // address -> Date.now() of the last miss

async function lookUpMissingKeys(ring, body, policy, cfg) {
  if (!cfg.lookup.on) return;
  const missing = ring
    .recipientsWithoutKey(body, policy ? { policy } : undefined)
    .filter((a) => !(Date.now() - (lookupMisses.get(a) ?? -Infinity) < cfg.lookup.retryMs))
    .slice(0, cfg.lookup.maxRecipients);
  await Promise.all(
    missing.map(async (address) => {
      for (const request of ring.lookupRequests(address, { keyservers: cfg.lookup.keyservers })) {
        try {
          const res = await fetch(request.url, { headers: { accept: request.accept }, signal: AbortSignal.timeout(cfg.lookup.timeoutMs) });
          if (!res.ok) continue;
          const found = ring.importFound(address, request.source, new Uint8Array(await res.arrayBuffer()));
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

// ---- HTTP ---------------------------------------------------------------------------------

function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The request carries `env[name]` (API_TOKEN, or COURIER_TOKEN for the fetching routes) as its bearer token. */
async function authorized(request, env, name = "API_TOKEN") {
  const token = env[name];
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!token || !m) return false;
  // Compare digests in constant time: equal lengths, no early exit on the first difference.
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(m[1])),
    crypto.subtle.digest("SHA-256", enc.encode(token)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** The request body, refused with 413 before anything is parsed when it exceeds `max`. */
async function readBody(request, max) {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    throw new HttpError(413, "too_large", `The body is larger than ${max} bytes.`);
  }
  if (!request.body) throw new HttpError(400, "bad_input", "The request has no body.");
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new HttpError(413, "too_large", `The body is larger than ${max} bytes.`);
    }
    chunks.push(value);
  }
  if (size === 0) throw new HttpError(400, "bad_input", "The request body is empty.");
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

const bool = (v, dflt) => (v == null ? dflt : !["0", "false", "no"].includes(v.toLowerCase()));

async function handleProtect(request, env, cfg) {
  const body = await readBody(request, cfg.maxBody);
  const url = new URL(request.url);
  const ring = await keyring(env);
  const sign = bool(url.searchParams.get("sign"), true);
  const encrypt = bool(url.searchParams.get("encrypt"), true);
  const method = url.searchParams.get("method") ?? undefined;
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
    if (!cfg.addresses.includes(from.toLowerCase())) {
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
  const deliveries = out.deliveries.map((d) => ({
    to: d.to,
    method: d.method,
    signed: d.signed,
    encrypted: d.encrypted,
    problemReport: d.problemReport,
    mime: d.mime,
  }));

  let relayed;
  if (relay) {
    // Every recipient allowed before anything is sent: no partial relay past a refusal.
    for (const d of deliveries) {
      for (const to of d.to) {
        if (!relayAllowed(cfg.relayRecipients, to)) {
          throw new HttpError(403, "relay_refused", `Relaying to ${to} is not allowed (RELAY_RECIPIENTS).`);
        }
      }
    }
    relayed = [];
    for (const d of deliveries) {
      for (const to of d.to) {
        try {
          await env.SEND_EMAIL.send(new EmailMessage(from, to, withMessageId(d.mime, from)));
        } catch (e) {
          // The binding's refusals name addresses and rules, never content.
          throw new HttpError(502, "relay_failed", `Sending to ${to} failed: ${e?.message ?? "error"}`, relayed);
        }
        relayed.push(to);
      }
    }
  }
  console.log(
    JSON.stringify({
      event: "protect",
      ms,
      deliveries: deliveries.map((d) => ({ method: d.method, signed: d.signed, encrypted: d.encrypted, problemReport: d.problemReport, recipients: d.to.length })),
      relayed: relayed?.length,
    }),
  );

  if ((request.headers.get("accept") ?? "").includes("multipart/mixed")) {
    return multipartDeliveries(out, deliveries);
  }
  return json(200, {
    messageId: out.messageId,
    warnings: out.warnings,
    deliveries: deliveries.map((d) => ({ ...d, mime: base64.encode(d.mime) })),
    ...(relayed ? { relayed } : {}),
  });
}

/**
 * Email sending refuses a message without Message-ID, and the package's problem reports have
 * none: add one (RFC 5322 §3.6.4) at the top of the header block when it is missing.
 */
function withMessageId(mime, from) {
  const text = new TextDecoder("latin1").decode(mime.subarray(0, Math.min(mime.length, 64 * 1024)));
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  if (/(^|\n)message-id:/i.test(head)) return mime;
  const domain = from.split("@").pop() || "localhost";
  const line = new TextEncoder().encode(`Message-ID: <${crypto.randomUUID()}@${domain}>\r\n`);
  const out = new Uint8Array(line.length + mime.length);
  out.set(line, 0);
  out.set(mime, line.length);
  return out;
}

/** Whether `address` matches the RELAY_RECIPIENTS list (an address, "@domain", or "*"). */
function relayAllowed(allowed, address) {
  const a = String(address).toLowerCase();
  const domain = a.slice(a.lastIndexOf("@"));
  return allowed.some((entry) => entry === "*" || entry === a || (entry.startsWith("@") && entry === domain));
}

/** The envelope sender for the relay: the From address of the notification, read by the
 * library from the header section (no full open, no audit event). */
function senderOf(body) {
  return senderAddress(body) ?? "";
}

/** multipart/mixed, one message/rfc822 part per delivery (RFC 2046 §5.1, §5.2.1). */
function multipartDeliveries(out, deliveries) {
  const boundary = `mailseal-${crypto.randomUUID()}`;
  const enc = new TextEncoder();
  const parts = [];
  for (const d of deliveries) {
    const head =
      `--${boundary}\r\n` +
      `Content-Type: message/rfc822\r\n` +
      `X-Mailseal-To: ${headerValue(d.to.join(", "))}\r\n` +
      `X-Mailseal-Method: ${d.method}\r\n` +
      `X-Mailseal-Signed: ${d.signed}\r\n` +
      `X-Mailseal-Encrypted: ${d.encrypted}\r\n` +
      `X-Mailseal-Problem-Report: ${d.problemReport}\r\n\r\n`;
    parts.push(enc.encode(head), d.mime, enc.encode("\r\n"));
  }
  parts.push(enc.encode(`--${boundary}--\r\n`));
  return new Response(new Blob(parts), {
    status: 200,
    headers: { "content-type": `multipart/mixed; boundary="${boundary}"` },
  });
}

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
  const teamInfo = teamCached && (t ? { address: t.address, member: true, members: t.members.map((m) => m.name), change: t.changes.at(-1)?.seq } : { member: false, error: teamCached.code });
  return json(ready ? 200 : 503, { ready, ...readiness, rsaDecryptionKeys, crypto: cryptoProvider(), ...(teamInfo ? { team: teamInfo } : {}) });
}

// ---- fetching for the browser: key lookups and CRLs ----------------------------------------

// A page cannot fetch WKD, keyservers or CRLs of other origins (CORS, its own CSP): the worker
// does it for the token holder. It fetches only what is safe to fetch from here: http(s), a
// host name (no address literal, no "localhost"), a size cap and a timeout. What it returns is
// checked by the package in the page (a CRL's signature, a key's user IDs): the worker is a
// courier, not an authority.
const MAX_KEY_ANSWER = 1024 * 1024;
const MAX_CRL = 10 * 1024 * 1024;

/** `url` if the worker may fetch it, else an HttpError. */
function fetchable(raw, schemes) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(400, "bad_input", "The URL is not valid.");
  }
  if (!schemes.includes(url.protocol)) throw new HttpError(400, "bad_input", `Only ${schemes.join(" and ")} URLs are fetched.`);
  const host = url.hostname.toLowerCase();
  const literal = /^[\d.]+$/.test(host) || host.startsWith("[") || host.includes(":");
  if (literal || host === "localhost" || host.endsWith(".localhost") || !host.includes(".")) {
    throw new HttpError(400, "bad_input", "Only public host names are fetched (no address literals or local names).");
  }
  if (url.username || url.password) throw new HttpError(400, "bad_input", "URLs with credentials are not fetched.");
  return url;
}

/** GET `url`: the body up to `max` bytes, or null for a non-2xx answer (with `statusError`: an
 * error with code http_STATUS). */
async function fetchCapped(url, { max, timeoutMs, accept, statusError = false }) {
  const res = await fetch(url, { headers: accept ? { accept } : {}, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  if (res.status < 200 || res.status > 299) {
    if (statusError) throw Object.assign(new Error(`HTTP ${res.status}`), { code: `http_${res.status}` });
    return null;
  }
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > max) throw new HttpError(502, "too_large", `The answer is over ${max} bytes.`);
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      throw new HttpError(502, "too_large", `The answer is over ${max} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** GET /v1/lookup?address=: the first source (WKD, then KEYSERVERS) with a key for it. */
async function handleLookup(url, env, cfg) {
  const address = url.searchParams.get("address") ?? "";
  const ring = await keyring(env);
  const tried = [];
  for (const request of ring.lookupRequests(address, { keyservers: cfg.lookup.keyservers })) {
    let answer;
    try {
      answer = await fetchCapped(fetchable(request.url, ["https:"]), { max: MAX_KEY_ANSWER, timeoutMs: cfg.lookup.timeoutMs, accept: request.accept });
    } catch (e) {
      tried.push({ source: request.source, outcome: e?.code ?? e?.name ?? "error" });
      continue;
    }
    if (!answer) {
      tried.push({ source: request.source, outcome: "not_found" });
      continue;
    }
    try {
      const candidates = ring.lookupCandidates(address, answer);
      return json(200, {
        address,
        source: request.source,
        url: request.url,
        candidates: candidates.map((k) => ({ id: k.id, emails: k.emails, algorithm: k.algorithm, status: k.status, canEncrypt: k.canEncrypt, expires: k.expires })),
        answer: base64.encode(answer),
        tried,
      });
    } catch (e) {
      tried.push({ source: request.source, outcome: e?.code ?? "error" });
    }
  }
  return json(404, { error: "key_not_found", message: "No source had a key for this address.", tried });
}

/**
 * What a revocation answer is: `kind` when the page says (its request's kind), else by its DER:
 * an OCSPResponse starts SEQUENCE { ENUMERATED responseStatus, ... }, a CRL SEQUENCE { SEQUENCE ... }.
 */
function revocationKind(kind, bytes) {
  if (kind in REVOCATION_TYPES) return kind;
  let i = 1;
  if (bytes[i] & 0x80) i += bytes[i] & 0x7f;
  return bytes[0] === 0x30 && bytes[i + 1] === 0x0a ? "ocsp" : "crl";
}

// (kind "issuer": a CA certificate from an AIA caIssuers URL, which open asks for when a
// signer's path stops at a CA nobody brought.)
const REVOCATION_TYPES = { crl: "application/pkix-crl", ocsp: "application/ocsp-response", issuer: "application/pkix-cert" };

/**
 * GET /v1/revocation?url=[&kind=crl|ocsp|issuer]: a CRL or an OCSP answer (an RFC 6960 GET URL)
 * fetched and forwarded as it came, labelled application/pkix-crl or application/ocsp-response;
 * the page's package checks it (importRevocation).
 */
async function handleRevocation(url, cfg) {
  const target = fetchable(url.searchParams.get("url") ?? "", ["http:", "https:"]);
  const asked = url.searchParams.get("kind");
  let answer;
  try {
    answer = await fetchCapped(target, { max: asked === "ocsp" ? MAX_OCSP : MAX_CRL, timeoutMs: cfg.lookup.timeoutMs });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(504, "fetch_failed", "The revocation server could not be reached or did not answer in time.");
  }
  if (!answer) throw new HttpError(502, "fetch_failed", "The revocation server did not answer with a CRL or an OCSP response.");
  return new Response(answer, { status: 200, headers: { "content-type": REVOCATION_TYPES[revocationKind(asked, answer)] } });
}

function handleKeys(env, ring, address) {
  const wanted = address.trim().toLowerCase();
  const keys = ring
    .list()
    .filter((k) => k.emails.some((e) => e.toLowerCase() === wanted) && k.status === "valid")
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
    return handleKeys(env, await keyring(env), address);
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

async function fetchHandler(request, env) {
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

// ---- inbound mail (Email Routing) ---------------------------------------------------------

async function emailHandler(message, env) {
  let cfg;
  try {
    cfg = config(env);
  } catch (e) {
    console.error(JSON.stringify({ event: "inbound_fault", code: e.code }));
    message.setReject("Temporary configuration problem.");
    return;
  }
  const to = String(message.to ?? "").toLowerCase();
  if (!cfg.addresses.includes(to)) {
    message.setReject("Unknown address.");
    return;
  }
  if (message.rawSize > cfg.maxBody) {
    message.setReject("The message is too large.");
    return;
  }
  if (!cfg.destination) {
    console.error(JSON.stringify({ event: "inbound_fault", code: "config" }));
    message.setReject("Temporary configuration problem.");
    return;
  }

  let opened;
  let failure;
  let headers;
  try {
    const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
    const ring = await keyring(env);
    const t0 = Date.now();
    let teamAddress;
    ({ opened, team: teamAddress } = await openWithTeam(env, ring, raw, cfg));
    const ms = Date.now() - t0;
    console.log(JSON.stringify({ event: "inbound", ms, encryption: opened.encryption.state, signature: opened.signature.state, revocation: opened.signature.revocation, ...(teamAddress ? { team: teamAddress } : {}) }));
    headers = reportHeaders(opened);
    // A decrypted message, or one whose sender wrote X-Mailseal-* headers of their own (a
    // forged verdict; Email Routing cannot remove headers from a forwarded original), goes to
    // the help desk as a copy the worker builds, which carries only the worker's headers.
    const rebuild = opened.encryption.state === "decrypted" || hasOwnReport(message.headers);
    if (cfg.inboundMode === "decrypted" && rebuild) {
      if (!env.INBOUND_RELAY) {
        headers.set("X-Mailseal-Note", "decrypted copy not sent: no INBOUND_RELAY binding");
      } else {
        try {
          const mime = await decryptedCopy(ring, opened, headers, to, cfg.destination, message.headers);
          await env.INBOUND_RELAY.send(new EmailMessage(to, cfg.destination, mime));
          return;
        } catch (e) {
          // The help desk still gets the mail: the original, with the report and the reason.
          const code = e?.code ?? "relay_failed";
          console.error(JSON.stringify({ event: "inbound_relay_error", code }));
          headers.set("X-Mailseal-Note", `decrypted copy not sent: ${code}`);
        }
      }
    }
  } catch (e) {
    failure = e?.code ?? "internal";
    console.error(JSON.stringify({ event: "inbound_error", code: failure }));
    headers = new Headers({ "X-Mailseal-Error": failure });
  }
  if (hasOwnReport(message.headers)) {
    headers.set("X-Mailseal-Warning", "the original carried X-Mailseal headers: trust only the last ones");
  }
  await message.forward(cfg.destination, headers);
}

function hasOwnReport(headers) {
  if (!headers || typeof headers.keys !== "function") return false;
  for (const k of headers.keys()) if (k.toLowerCase().startsWith("x-mailseal-")) return true;
  return false;
}

/**
 * The decrypted message for the help desk, built by the package's own MIME writer (a plain
 * protect without sign / encrypt) from the opened parts. Sent from the service address (the
 * send_email binding requires From = envelope sender); the sender is in Reply-To.
 */
async function decryptedCopy(ring, opened, headers, serviceAddress, destination, outer) {
  const h = opened.headers;
  // Threading: the help desk matches replies by In-Reply-To / References, as they arrived
  // (the outer fields, which its earlier mail carried).
  const ids = (name) => (outer?.get?.(name) ?? "").match(/<[^<>\s]+>/g) ?? [];
  const draft = {
    from: serviceAddress,
    to: destination,
    subject: h.subject ?? "",
    text: opened.text,
    html: opened.html,
    attachments: opened.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, data: a.data })),
    messageId: h.messageId,
    inReplyTo: ids("in-reply-to")[0],
    references: ids("references"),
  };
  if (!draft.inReplyTo) delete draft.inReplyTo;
  if (draft.references.length === 0) delete draft.references;
  if (draft.text == null) delete draft.text;
  if (draft.html == null) delete draft.html;
  if (!draft.messageId) delete draft.messageId;
  const built = (await protect(ring, draft, { sign: false, encrypt: false })).deliveries[0].mime;
  const extra = new Headers(headers);
  // The address the library parsed from From, never a pattern over the header (a quoted
  // display name can hold "<someone@else>").
  const sender = h.fromAddress ?? "";
  if (/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(sender)) extra.set("Reply-To", sender);
  if (h.from) extra.set("X-Mailseal-Original-From", headerValue(h.from));
  const lines = [];
  for (const [k, v] of extra) lines.push(`${headerName(k)}: ${v}\r\n`);
  const head = new TextEncoder().encode(lines.join(""));
  const mime = new Uint8Array(head.length + built.length);
  mime.set(head, 0);
  mime.set(built, head.length);
  return mime;
}

const headerName = (k) => k.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase());

export default {
  fetch: fetchHandler,
  async email(message, env, ctx) {
    try {
      await emailHandler(message, env, ctx);
    } catch (e) {
      // Never an uncaught exception: Email Routing then retries / bounces on its own terms.
      console.error(JSON.stringify({ event: "inbound_fault", code: e?.code ?? "exception" }));
      message.setReject("Temporary failure.");
    }
  },
};
