// mailseal in Cloudflare Workers: the help desk's server-side jobs, one request at a time.
//
//   email()              Email Routing: open inbound mail for the service addresses with the
//                        service keys and pass it to the help desk with the report as headers.
//                        (inbound.mjs)
//   POST /v1/protect     sign / encrypt an outgoing notification under the configured policy.
//                        (protect.mjs)
//   POST /v1/open        the same report as email(), for a help desk that prefers to call it.
//   GET  /v1/health      readiness; with the token also which service addresses can sign /
//                        decrypt, what expires, which keys face Marvin.
//   GET  /v1/keys/:addr  the public certificates / keys for an address.
//                        (these three and the routing itself: routes.mjs)
//   GET  /v1/member      the Worker's member key for a team (TEAM_BUNDLE: team mail opened
//                        with the team's keyring while the Worker is a member). (team.mjs)
//   GET  /v1/lookup, /v1/revocation
//                        the page's courier: a key for an address (WKD, KEYSERVERS), a CRL or
//                        an OCSP answer;
//                        with API_TOKEN or COURIER_TOKEN (the page's token, these two only).
//                        (courier.mjs)
//
// Underneath: config.mjs (env read into one object), http.mjs (HttpError, JSON, token, body),
// keyring.mjs (the sealed keyring, unsealed once per isolate), revocation.mjs (CRL / OCSP
// fetching and `open` with it), fetching.mjs (what may be fetched, capped), report.mjs (the
// report as headers), base64.mjs.
//
// Plaintext lives only in this request's memory; nothing here logs content (only codes and
// states). Configuration: see wrangler.toml and README.md.
import { emailHandler } from "./inbound.mjs";
import { fetchHandler } from "./routes.mjs";

export default {
  fetch: fetchHandler,
  /**
   * @param {ForwardableEmailMessage} message
   * @param {import("./config.mjs").Env} env
   */
  async email(message, env) {
    try {
      await emailHandler(message, env);
    } catch (e) {
      // Never an uncaught exception: Email Routing then retries / bounces on its own terms.
      console.error(JSON.stringify({ event: "inbound_fault", code: e?.code ?? "exception" }));
      message.setReject("Temporary failure.");
    }
  },
};
