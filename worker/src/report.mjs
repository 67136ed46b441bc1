// The security report of `open` as mail headers for the help desk. Values are one line of
// ASCII: anything else is an RFC 2047 encoded-word, so no header injection and no non-ASCII
// in a header (RFC 5322 §2.2).
import { base64 } from "./base64.mjs";

/** Headers: X-Mailseal-Encryption, -Signature, -Signer, -Encryption-Detail, -Signature-Detail. */
export function reportHeaders(opened) {
  const h = new Headers();
  const e = opened.encryption;
  const s = opened.signature;
  h.set(
    "X-Mailseal-Encryption",
    params(e.state, { method: e.method, algorithm: e.algorithm, authenticated: e.authenticated, key: e.keyId }),
  );
  // revocation: good / unchecked / no_source (S/MIME signers on a trusted path; see revocation.mjs).
  h.set("X-Mailseal-Signature", params(s.state, { method: s.method, scope: s.scope, digest: s.digest, signed_at: s.signedAt, revocation: s.revocation }));
  if (s.signer) {
    h.set("X-Mailseal-Signer", headerValue(`${(s.signer.emails ?? []).join(", ") || "(no address)"}; key=${s.signer.keyId}`));
  }
  if (e.detail) h.set("X-Mailseal-Encryption-Detail", headerValue(e.detail));
  if (s.detail) h.set("X-Mailseal-Signature-Detail", headerValue(s.detail));
  if (opened.headers?.protected) h.set("X-Mailseal-Protected-Headers", "yes");
  if (opened.headers?.fromDiffers) h.set("X-Mailseal-From-Differs", "yes");
  return h;
}

function params(state, fields) {
  const parts = [state];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    parts.push(`${k}=${typeof v === "boolean" ? (v ? "yes" : "no") : v}`);
  }
  return headerValue(parts.join("; "));
}

/** One safe header line: printable ASCII as is, otherwise a UTF-8 B encoded-word. */
export function headerValue(text) {
  const flat = String(text).replace(/[\r\n\t]+/g, " ").trim();
  if (/^[\x20-\x7e]*$/.test(flat)) return flat.slice(0, 900);
  return `=?UTF-8?B?${base64.encode(new TextEncoder().encode(flat.slice(0, 600)))}?=`;
}
