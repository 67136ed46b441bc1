// E-mail addresses in the Worker: always the library's one rule (mailseal's Address type:
// `normalizeAddress`, `parseAddress`), never a pattern or a lower-casing of our own.
import { isMailsealError, normalizeAddress, parseAddress } from "mailseal";

/**
 * The key of `text` (the form the library compares and stores), or "" when it is not one
 * e-mail address.
 * @param {unknown} text
 * @returns {string}
 */
export function addressKey(text) {
  try {
    return normalizeAddress(String(text ?? ""));
  } catch (e) {
    if (isMailsealError(e)) return "";
    throw e;
  }
}

/**
 * `text` taken apart by the library, or undefined when it is not one e-mail address.
 * @param {unknown} text
 * @returns {import("mailseal").ParsedAddress | undefined}
 */
export function parsedAddress(text) {
  try {
    return parseAddress(String(text ?? ""));
  } catch (e) {
    if (isMailsealError(e)) return undefined;
    throw e;
  }
}
