// Inbound mail (Email Routing): mail to a service address is opened with the service keys
// (or the team's) and passed to the help desk inbox with the security report as headers,
// either as a decrypted copy built here (INBOUND_RELAY) or as the original, forwarded.
import { EmailMessage } from "cloudflare:email";
import { protect } from "mailseal";
import { addressKey } from "./address.mjs";
import { config } from "./config.mjs";
import { byteStream } from "./http.mjs";
import { keyring } from "./keyring.mjs";
import { reportHeaders } from "./report.mjs";
import { openWithTeam } from "./team.mjs";

/** @typedef {import("mailseal").Keyring} Keyring */
/** @typedef {import("mailseal").Opened} Opened */

/**
 * The Worker's email(): reject what is not for a service address, else forward to
 * HELPDESK_ADDRESS with the report (the decrypted copy when there is one to send).
 * @param {ForwardableEmailMessage} message
 * @param {import("./config.mjs").Env} env
 */
export async function emailHandler(message, env) {
  let cfg;
  try {
    cfg = config(env);
  } catch (e) {
    console.error(JSON.stringify({ event: "inbound_fault", code: e.code }));
    message.setReject("Temporary configuration problem.");
    return;
  }
  const to = addressKey(message.to);
  if (!to || !cfg.addresses.includes(to)) {
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
          const mime = await decryptedCopy(ring, opened, to, cfg.destination, message.headers);
          await env.INBOUND_RELAY.send(new EmailMessage(to, cfg.destination, byteStream(mime)));
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

/**
 * The original already carries X-Mailseal-* headers (a sender forging a verdict).
 * @param {Headers | undefined} headers
 */
function hasOwnReport(headers) {
  if (!headers || typeof headers.keys !== "function") return false;
  for (const k of headers.keys()) if (k.toLowerCase().startsWith("x-mailseal-")) return true;
  return false;
}

/**
 * The decrypted message for the help desk, built by the package from the opened parts (a plain
 * protect without sign / encrypt), with the report as header fields the package encodes. Sent
 * from the service address (the send_email binding requires From = envelope sender); the
 * sender is in Reply-To and X-Mailseal-Original-From.
 * @param {Keyring} ring
 * @param {Opened} opened
 * @param {string} serviceAddress
 * @param {string} destination
 * @param {Headers | undefined} outer the message's header as it arrived
 */
async function decryptedCopy(ring, opened, serviceAddress, destination, outer) {
  const h = opened.headers;
  // Threading: the help desk matches replies by In-Reply-To / References. `open` reports them
  // too (opened.headers, the protected ones when the message has them); the copy keeps the
  // outer fields as they arrived, which carry the ids of the help desk's earlier mail.
  const ids = (name) => (outer?.get?.(name) ?? "").match(/<[^<>\s]+>/g) ?? [];
  /** @type {[string, string][]} */
  const extraHeaders = [...opened.reportHeaders];
  if (h.from) extraHeaders.push(["X-Mailseal-Original-From", h.from]);
  /** @type {import("mailseal").Draft} */
  const draft = {
    from: serviceAddress,
    to: destination,
    subject: h.subject ?? "",
    attachments: opened.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, data: a.data })),
    references: ids("references"),
    extraHeaders,
  };
  // The address the library parsed from From, never a pattern over the header (a quoted
  // display name can hold "<someone@else>").
  if (h.fromAddress) draft.replyTo = h.fromAddress;
  if (opened.text != null) draft.text = opened.text;
  if (opened.html != null) draft.html = opened.html;
  if (h.messageId) draft.messageId = h.messageId;
  const inReplyTo = ids("in-reply-to")[0];
  if (inReplyTo) draft.inReplyTo = inReplyTo;
  return (await protect(ring, draft, { sign: false, encrypt: false })).deliveries[0].mime;
}
