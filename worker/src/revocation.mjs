// Revocation (CRLs and OCSP) for the Worker's own certificates and for the signers of the mail
// it opens.
//
// The package does no I/O: it names what to fetch and judges what was fetched. Two places ask:
// the keyring for its own certificates (revocationRequests: CRLs missing or past their
// nextUpdate, OCSP answers missing or no longer current), and `open` for the signer of a
// message (opened.revocationRequests, when signature.revocation is "unchecked": OCSP first
// when the certificate names a responder, else its CRL). With REVOCATION_FETCH = "on" (or its
// older name CRL_FETCH) the worker fetches both: the keyring's before serving a request, the
// signer's before reporting on the message, which is then opened once more. Each fetch is an
// RFC 6960 GET (OCSP) or a plain GET (CRL) through fetchable / fetchCapped (public host names,
// no redirects, size caps, REVOCATION_TIMEOUT_MS); importRevocation keeps only an answer its CA
// (or the CA's delegated responder) signed. A URL that failed is tried again only after
// REVOCATION_RETRY_MINUTES (10). What cannot be checked follows UNCHECKED_REVOCATION: "pass"
// (default: valid, revocation=unchecked), "warn" (valid with a warning) or "block" (untrusted).
// CRLs and OCSP answers stay in this isolate's keyring (never written back to KV) until their
// nextUpdate / currentUntil.
import { open } from "mailseal";
import { MAX_CRL, MAX_OCSP, fetchCapped, fetchable } from "./fetching.mjs";

/** @typedef {import("mailseal").Keyring} Keyring */
/** @typedef {import("./config.mjs").Config} Config */

const revocationFailures = new Map(); // url -> Date.now() of the last failed attempt

/**
 * Fetches `requests` (of revocationRequests / opened.revocationRequests); how many were imported.
 * @param {Keyring} ring
 * @param {import("mailseal").RevocationRequest[]} requests
 * @param {Config} cfg
 */
async function fetchRevocations(ring, requests, cfg) {
  const { timeoutMs, retryMs } = cfg.revocation;
  const due = requests.filter((r) => !(Date.now() - (revocationFailures.get(r.url) ?? -Infinity) < retryMs));
  const seen = new Set();
  let imported = 0;
  await Promise.all(
    due.map(async (r) => {
      if (seen.has(r.url)) return;
      seen.add(r.url);
      const kind = ["ocsp", "issuer"].includes(r.kind) ? r.kind : "crl";
      try {
        const bytes = await fetchCapped(fetchable(r.url, ["http:", "https:"]), {
          max: kind === "ocsp" ? MAX_OCSP : MAX_CRL,
          timeoutMs,
          accept: kind === "ocsp" ? "application/ocsp-response" : undefined,
          statusError: true,
        });
        const info = ring.importRevocation(r, bytes);
        revocationFailures.delete(r.url);
        imported++;
        const what = kind === "crl" ? { revoked: info.crl?.revoked } : kind === "ocsp" ? { statuses: (info.ocsp ?? []).map((o) => o.status) } : {};
        console.log(JSON.stringify({ event: `${kind}_imported`, url: r.url, ...what }));
      } catch (e) {
        revocationFailures.set(r.url, Date.now());
        console.log(JSON.stringify({ event: `${kind}_fetch_failed`, url: r.url, code: e?.code ?? e?.name ?? "error" }));
      }
    }),
  );
  return imported;
}

/**
 * The keyring's own certificates (CRLs and OCSP), before a request is served.
 * @param {Keyring} ring
 * @param {Config} cfg
 */
export async function checkRevocation(ring, cfg) {
  if (!cfg.revocation.on) return;
  await fetchRevocations(ring, ring.revocationRequests(), cfg);
}

/**
 * `open` with the revocation policy; the signer's revocation fetched and the message opened again.
 * @param {Keyring} ring
 * @param {Uint8Array} raw
 * @param {Config} cfg
 */
export async function openChecked(ring, raw, cfg) {
  const opts = cfg.revocation.unchecked ? { uncheckedRevocation: cfg.revocation.unchecked } : undefined;
  const opened = await open(ring, raw, opts);
  const requests = opened.revocationRequests ?? [];
  if (!cfg.revocation.on || requests.length === 0) return opened;
  if ((await fetchRevocations(ring, requests, cfg)) === 0) return opened;
  return open(ring, raw, opts);
}
