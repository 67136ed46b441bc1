// The courier: the mailseal Worker's fetching routes, at this page's own origin. The page's CSP
// (`connect-src 'self'`) lets it talk to nothing else, and WKD servers, keyservers and CRL
// servers do not answer other origins (CORS) anyway; so the Worker, routed under the desk's
// origin, fetches for it: GET /v1/lookup?address= (WKD, then its KEYSERVERS) and
// GET /v1/revocation?url= (a CRL or OCSP answer), with the Worker's token. The Worker only
// carries bytes: the package in this page judges them (lookupCandidates, importFound,
// importRevocation), so a Worker or server that lies gets nothing past the checks the package makes.
import { forgetCourierToken, loadCourierToken, saveCourierToken } from "./store.mjs";

/** How long the page waits for the Worker (it tries up to four sources, 3 s each by default). */
const TIMEOUT_MS = 20_000;

/** The token the admin entered (IndexedDB, not the keyring: the package has no place for it). */
export const courier = { /** @type {string | undefined} */ token: undefined };

export async function loadCourier() {
  courier.token = (await loadCourierToken()) || undefined;
}

/** Saves the token (an empty one forgets it). */
export async function setCourierToken(token) {
  token = token.trim();
  if (token) await saveCourierToken(token);
  else await forgetCourierToken();
  courier.token = token || undefined;
}

export const SOURCE_NAMES = {
  wkd_advanced: "WKD (advanced)",
  wkd_direct: "WKD (direct)",
  vks: "keyserver (VKS)",
  hkp: "keyserver (HKP)",
  autocrypt: "Autocrypt",
  mail: "signed mail",
};

/** An error of the courier with a stable `code` and a sentence for the agent. */
export class CourierError extends Error {
  constructor(code, message, tried) {
    super(message);
    this.code = code;
    this.tried = tried ?? [];
  }
}

const OUTCOMES = { not_found: "no key there", TimeoutError: "no answer in time", too_large: "answer too large", key_not_found: "no key for this address", bad_input: "refused" };

/** "WKD (advanced): no key there; keyserver (VKS): no answer in time" from the Worker's `tried`. */
export function describeTried(tried) {
  return (tried ?? []).map((t) => `${SOURCE_NAMES[t.source] ?? t.source}: ${OUTCOMES[t.outcome] ?? t.outcome}`).join("; ");
}

/** GET a /v1 route of the Worker with the token; errors as CourierError. */
async function ask(path) {
  if (!courier.token) {
    throw new CourierError("no_courier", "Key lookups and revocation checks are unavailable: no Worker token is set (Admin → Key lookups and revocation checks).");
  }
  let res;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${courier.token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    if (e?.name === "TimeoutError") throw new CourierError("timeout", `The Worker did not answer within ${TIMEOUT_MS / 1000} s.`);
    throw new CourierError("unreachable", "The Worker could not be reached.");
  }
  if (res.ok) return res;
  let body = null;
  if (/json/.test(res.headers.get("content-type") ?? "")) body = await res.json().catch(() => null);
  if (res.status === 401) throw new CourierError("unauthorized", "The Worker refused the token: check it under Admin → Key lookups and revocation checks.");
  if (!body?.error) throw new CourierError("no_worker", `No mailseal Worker answers at this page's origin (${path.split("?")[0]}: HTTP ${res.status}).`);
  throw new CourierError(body.error, String(body.message ?? body.error), body.tried);
}

function fromBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Asks the Worker for a key for `address`. Resolves to { source, url, answer, tried }: the raw
 * answer of the first source that had one (for ring.lookupCandidates / importFound here).
 * A miss is CourierError "key_not_found" with what was tried.
 */
export async function lookUpKey(address) {
  const res = await ask(`/v1/lookup?address=${encodeURIComponent(address)}`);
  const body = await res.json();
  return { source: body.source, url: body.url, answer: fromBase64(body.answer), tried: body.tried ?? [] };
}

/**
 * The bytes at a CRL or OCSP GET URL (a request's `url`), fetched by the Worker; `kind` is the
 * request's ("crl" | "ocsp"), which the Worker labels the answer by.
 */
export async function fetchRevocation(url, kind) {
  const res = await ask(`/v1/revocation?url=${encodeURIComponent(url)}${kind ? `&kind=${encodeURIComponent(kind)}` : ""}`);
  return new Uint8Array(await res.arrayBuffer());
}
