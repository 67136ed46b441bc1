// What the Worker may fetch from the network, and how much of it.
//
// A page cannot fetch WKD, keyservers or CRLs of other origins (CORS, its own CSP): the worker
// does it for the token holder (courier.mjs), and for its own revocation checks
// (revocation.mjs), and for protect's key lookups (protect.mjs). It fetches only what is safe
// to fetch from here: http(s), a public host name (no address literal, no local name in any
// spelling), the scheme's default port, no redirects, a size cap and a timeout. What it returns is checked by the
// package (a CRL's signature, a key's user IDs): the worker is a courier, not an authority.
import { HttpError } from "./http.mjs";

export const MAX_KEY_ANSWER = 1024 * 1024;
export const MAX_CRL = 10 * 1024 * 1024;
export const MAX_OCSP = 64 * 1024;

/**
 * `url` if the worker may fetch it, else an HttpError.
 * @param {string} raw
 * @param {string[]} schemes e.g. ["https:"]
 */
export function fetchable(raw, schemes) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new HttpError(400, "bad_input", "The URL is not valid.");
  }
  if (!schemes.includes(url.protocol)) throw new HttpError(400, "bad_input", `Only ${schemes.join(" and ")} URLs are fetched.`);
  // A trailing dot names the same host (`localhost.` is localhost); the URL parser has already
  // folded full-width and percent-encoded spellings into ASCII.
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = /^[\d.]+$/.test(host) || /^0x/.test(host) || host.startsWith("[") || host.includes(":");
  if (literal || !host.includes(".") || host.includes("..") || LOCAL_NAMES.some((n) => host === n || host.endsWith(`.${n}`))) {
    throw new HttpError(400, "bad_input", "Only public host names are fetched (no address literals or local names).");
  }
  // Only the scheme's own port: a port picks the service behind a name (a database, a
  // container API), which a key, CRL or OCSP URL never needs.
  if (url.port !== "") throw new HttpError(400, "bad_input", "Only URLs on the scheme's default port are fetched.");
  if (url.username || url.password) throw new HttpError(400, "bad_input", "URLs with credentials are not fetched.");
  return url;
}

// Special-use names that resolve inside the fetcher's own network (RFC 6761 §6.3, RFC 6762,
// RFC 8375, ICANN's .internal).
const LOCAL_NAMES = ["localhost", "local", "internal", "home.arpa", "localdomain"];

/**
 * GET `url`: the body up to `max` bytes, or null for a non-2xx answer (with `statusError`: an
 * error with code http_STATUS).
 * @param {URL} url
 * @param {{ max: number, timeoutMs: number, accept?: string, statusError?: boolean }} options
 * @returns {Promise<Uint8Array | null>}
 */
export async function fetchCapped(url, { max, timeoutMs, accept, statusError = false }) {
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
