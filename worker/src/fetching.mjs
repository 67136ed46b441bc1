// What the Worker may fetch from the network, and how much of it.
//
// A page cannot fetch WKD, keyservers or CRLs of other origins (CORS, its own CSP): the worker
// does it for the token holder (courier.mjs), and for its own revocation checks
// (revocation.mjs). It fetches only what is safe to fetch from here: http(s), a host name (no
// address literal, no "localhost"), a size cap and a timeout. What it returns is checked by the
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
  const host = url.hostname.toLowerCase();
  const literal = /^[\d.]+$/.test(host) || host.startsWith("[") || host.includes(":");
  if (literal || host === "localhost" || host.endsWith(".localhost") || !host.includes(".")) {
    throw new HttpError(400, "bad_input", "Only public host names are fetched (no address literals or local names).");
  }
  if (url.username || url.password) throw new HttpError(400, "bad_input", "URLs with credentials are not fetched.");
  return url;
}

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
