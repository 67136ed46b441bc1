// HTTP plumbing shared by the routes: the error a handler throws, JSON answers, the bearer
// token check and a capped body reader.

/** A refusal with a status and a stable code; `fetchHandler` (routes.mjs) answers it as JSON. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string[]} [relayed] the recipients a relay reached before it failed
   */
  constructor(status, code, message, relayed) {
    super(message);
    this.status = status;
    this.code = code;
    this.relayed = relayed;
  }
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * The request carries `env[name]` (API_TOKEN, or COURIER_TOKEN for the fetching routes) as its bearer token.
 * @param {Request} request
 * @param {import("./config.mjs").Env} env
 * @param {"API_TOKEN" | "COURIER_TOKEN"} [name]
 */
export async function authorized(request, env, name = "API_TOKEN") {
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

/**
 * The request body, refused with 413 before anything is parsed when it exceeds `max`.
 * @param {Request} request
 * @param {number} max
 */
export async function readBody(request, max) {
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

/**
 * A message's bytes as the ReadableStream that `EmailMessage` takes (`ReadableStream | string`
 * in workerd; a string would go out as UTF-8 text, which changes 8-bit mail). Bytes themselves
 * are not accepted there, although Miniflare's stand-in reads them.
 * @param {Uint8Array} bytes
 * @returns {ReadableStream}
 */
export function byteStream(bytes) {
  return new Response(bytes).body;
}
