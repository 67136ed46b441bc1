// The security report of `open` as mail headers for the help desk. The fields and their words
// come from the package (`opened.reportHeaders`, made in Rust: src/relay.rs); `headerLine`
// encodes each value for a header (RFC 2047 encoded-words of at most 75 characters, one line,
// no line breaks: no header injection, no raw non-ASCII in a header, RFC 5322 §2.2).
import { headerLine } from "mailseal";

/**
 * X-Mailseal-Encryption, -Signature, -Signer, -Encryption-Detail, -Signature-Detail,
 * -Protected-Headers, -From-Differs, as a Headers object for `message.forward`.
 * @param {import("mailseal").Opened} opened
 */
export function reportHeaders(opened) {
  const h = new Headers();
  for (const [name, value] of opened.reportHeaders) h.set(name, headerLine(name, value));
  return h;
}
