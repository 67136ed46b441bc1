// The page's courier: GET /v1/lookup (a key for an address) and GET /v1/revocation (a CRL, an
// OCSP answer or a CA certificate), fetched for the demo page, which cannot fetch other origins
// (www/courier.mjs). The page's package checks what is forwarded; see fetching.mjs for what may
// be fetched.
import { base64 } from "./base64.mjs";
import { MAX_CRL, MAX_KEY_ANSWER, MAX_OCSP, fetchCapped, fetchable } from "./fetching.mjs";
import { HttpError, json } from "./http.mjs";
import { keyring } from "./keyring.mjs";

/**
 * GET /v1/lookup?address=: the first source (WKD, then KEYSERVERS) with a key for it.
 * @param {URL} url
 * @param {import("./config.mjs").Env} env
 * @param {import("./config.mjs").Config} cfg
 */
export async function handleLookup(url, env, cfg) {
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

// (kind "issuer": a CA certificate from an AIA caIssuers URL, which open asks for when a
// signer's path stops at a CA nobody brought.)
const REVOCATION_TYPES = { crl: "application/pkix-crl", ocsp: "application/ocsp-response", issuer: "application/pkix-cert" };

/**
 * What a revocation answer is: `kind` when the page says (its request's kind), else by its DER:
 * an OCSPResponse starts SEQUENCE { ENUMERATED responseStatus, ... }, a CRL SEQUENCE { SEQUENCE ... }.
 * @param {string | null} kind
 * @param {Uint8Array} bytes
 * @returns {keyof typeof REVOCATION_TYPES}
 */
function revocationKind(kind, bytes) {
  if (kind !== null && Object.hasOwn(REVOCATION_TYPES, kind)) return /** @type {keyof typeof REVOCATION_TYPES} */ (kind);
  let i = 1;
  if (bytes[i] & 0x80) i += bytes[i] & 0x7f;
  return bytes[0] === 0x30 && bytes[i + 1] === 0x0a ? "ocsp" : "crl";
}

/**
 * GET /v1/revocation?url=[&kind=crl|ocsp|issuer]: a CRL or an OCSP answer (an RFC 6960 GET URL)
 * fetched and forwarded as it came, labelled application/pkix-crl or application/ocsp-response;
 * the page's package checks it (importRevocation).
 * @param {URL} url
 * @param {import("./config.mjs").Config} cfg
 */
export async function handleRevocation(url, cfg) {
  const target = fetchable(url.searchParams.get("url") ?? "", ["http:", "https:"]);
  const asked = url.searchParams.get("kind");
  // Own names only: `kind=__proto__` or `toString` must not pick a content type.
  if (asked !== null && !Object.hasOwn(REVOCATION_TYPES, asked)) {
    throw new HttpError(400, "bad_input", `kind is one of ${Object.keys(REVOCATION_TYPES).join(", ")}.`);
  }
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
