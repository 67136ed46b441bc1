// The agent's reading side: the ticket's articles and the outbox, each opened with the
// package and shown with what it reports (badges, verdict banner, unsigned fields, content).
import { open } from "mailseal";
import { CourierError, courier, fetchRevocation } from "./courier.mjs";
import { openedArticles, persist, state } from "./session.mjs";
import { $, ICONS, describeError, el, icon, showError } from "./ui.mjs";

export async function loadArticles() {
  if (state.articles.length) return;
  try {
    const manifest = await (await fetch("demo-messages/manifest.json")).json();
    $("ticket-title").textContent = manifest.ticket ?? "Ticket";
    for (const m of manifest.messages) {
      const raw = new Uint8Array(await (await fetch(`demo-messages/${m.file}`)).arrayBuffer());
      state.articles.push({ title: m.title, file: m.file, raw });
    }
  } catch (e) {
    showError("demo messages (run make demo)", e);
  }
}

/** The status badges for one opened message: [kind, state, css class, icon, label]. */
function badgesFor(r) {
  /** @type {[string, string, string, keyof typeof ICONS, string][]} */
  const out = [];
  const e = r.encryption;
  if (e.state === "decrypted") out.push(["encryption", "decrypted", "ok", "lock", "Encrypted for you"]);
  else if (e.state === "no_key") out.push(["encryption", "no_key", "bad", "stop", "Cannot decrypt"]);
  else if (e.state === "failed") out.push(["encryption", "failed", "bad", "warn", "Decryption failed"]);
  else out.push(["encryption", "none", "info", "mail", "Not encrypted"]);
  const s = r.signature;
  /** @type {Record<string, [string, keyof typeof ICONS, string]>} */
  const labels = {
    valid: s.scope === "partial" ? ["warn", "half", "Partially signed"] : ["ok", "check", "Signature verified"],
    invalid: ["bad", "cross", "Verification failed"],
    unknown_signer: ["warn", "question", "Unknown signer"],
    untrusted: ["warn", "warn", "Untrusted signer"],
    expired: ["bad", "clock", "Signer's key expired"],
    not_yet_valid: ["bad", "clock", "Signer's key not valid yet"],
    revoked: ["bad", "stop", "Signer's key revoked"],
    sender_mismatch: ["bad", "warn", "Sender mismatch"],
  };
  if (s.state !== "none") {
    const [cls, ic, label] = labels[s.state] ?? ["warn", "warn", s.state];
    const st = s.state === "valid" && s.scope === "partial" ? "partial" : s.state;
    out.push(["signature", st, cls, ic, label]);
    if (s.scope === "partial" && s.state !== "valid") out.push(["scope", "partial", "warn", "half", "Partially signed"]);
  } else if (s.scope === "partial") {
    // A signed part inside an unsigned message: the message as a whole is not signed.
    out.push(["signature", "partial", "warn", "half", "Partially signed"]);
  } else if (s.detail) {
    out.push(["signature", "none", "warn", "warn", "Not signed (see details)"]);
  } else {
    out.push(["signature", "none", "info", "mail", "Not signed"]);
  }
  return out;
}

/**
 * What must not be missed about a message, set apart above its body: a failed or refused
 * verdict (the content is shown muted, as not to be acted on), or a message only partly signed
 * (nothing shown is vouched for). `null` when nothing needs it.
 * @returns {{ level: "bad" | "warn", title: string, detail: string } | null}
 */
function verdictBanner(r) {
  const e = r.encryption;
  const s = r.signature;
  if (e.state === "failed" || e.state === "no_key") {
    return { level: "bad", title: e.state === "no_key" ? "This message is not encrypted for any key here." : "This message could not be decrypted.", detail: e.detail ?? "" };
  }
  const refused = { invalid: "Its signature does not verify: it was changed after signing, or the signature is forged.", sender_mismatch: "It was not signed by the sender it shows.", revoked: "It was signed with a revoked key.", expired: "It was signed with a key that had expired.", not_yet_valid: "It was signed with a key that was not valid yet." };
  if (s.state in refused) {
    return { level: "bad", title: "Do not trust this message.", detail: [refused[s.state], s.detail].filter(Boolean).join(" ") };
  }
  if (s.scope === "partial") {
    return { level: "warn", title: "Only part of this message is signed.", detail: "Nothing below is vouched for by a signature: text outside the signed part may have been added by anyone." };
  }
  return null;
}

function detailRows(r, kind, checked = []) {
  const e = r.encryption;
  const s = r.signature;
  if (kind === "encryption") {
    return [
      ["State", e.state],
      ["Method", e.method ?? "—"],
      ["Algorithm", e.algorithm ?? "—"],
      ["Authenticated", e.authenticated == null ? "—" : e.authenticated ? "yes (tamper-evident)" : "no (not integrity protected)"],
      ["Key id", e.keyId ?? "—"],
      ["Detail", e.detail ?? "—"],
    ];
  }
  return [
    ["State", s.state],
    ["Scope", s.scope ?? "—"],
    ["Method", s.method ?? "—"],
    // Who signed is only said when the signature verified; otherwise it is a claim.
    ["Signer", s.state === "valid" ? s.signer?.emails?.join(", ") || "—" : "— (not verified)"],
    [s.state === "valid" ? "Signer key id" : "Claimed key id", s.signer?.keyId ?? "—"],
    ["Digest", s.digest ?? "—"],
    ["Signed at", s.signedAt ?? "—"],
    // S/MIME signers on a trusted path: was the certificate's revocation checked, and how.
    ["Revocation", s.revocation ? REVOCATION_WORDS[s.revocation] ?? s.revocation : "—"],
    ...(checked.length ? [["Revocation checks", checked.join("; ")]] : []),
    ["Detail", s.detail ?? "—"],
  ];
}

function showDetails(r, kind, checked) {
  const list = $("detail-list");
  list.replaceChildren();
  for (const [k, v] of detailRows(r, kind, checked)) list.append(el("dt", { text: k }), el("dd", { text: String(v) }));
  $("detail-title").textContent = kind === "encryption" ? "Encryption details" : "Signature details";
  $("detail-dialog").showModal();
}

/**
 * How the body is set apart: its class and the label above it.
 * @returns {[string, string]}
 */
function contentFrame(r, banner) {
  if (banner?.level === "bad") return ["quarantined", "Content of a message that failed its check:"];
  if (banner) return ["unsigned-part", "Not covered by a signature:"];
  if (r.signature.state === "none") return ["unsigned", "Message content (not signed: anyone could have written it):"];
  return ["sender", "Message content:"];
}

// Attachment types a browser shows without running anything in it. Anything else (HTML, SVG,
// XML, scripts) is handed over as bytes to save: a blob: URL has the page's origin and no CSP,
// so a text/html attachment opened in a new tab would run its script as the page.
const INERT_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "application/pdf", "text/plain", "audio/mpeg", "audio/ogg", "video/mp4", "video/webm"]);

/** @param {string | undefined} contentType */
function inertType(contentType) {
  const type = String(contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "text/plain") return "text/plain; charset=utf-8";
  return INERT_TYPES.has(type) ? type : "application/octet-stream";
}

/** A sandboxed frame for HTML bodies: no scripts, no same-origin, no remote content (CSP). */
function htmlFrame(html) {
  const csp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'";
  const frame = el("iframe", { class: "html", title: "HTML message body (remote content blocked)" });
  frame.setAttribute("sandbox", "");
  frame.setAttribute("referrerpolicy", "no-referrer");
  frame.srcdoc = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><base target="_blank">${html}`;
  return frame;
}

/**
 * Beside a signature, a field the signature does not cover (no protected headers: the
 * Subject of a replayed message can be anything) is marked, so the badge is not read as
 * vouching for it.
 */
function unsignedMark(r, field) {
  if (r.signature.state === "none" || r.headers.signedFields.includes(field)) return null;
  return el("span", { class: "unsigned", dataset: { field }, title: "Not covered by the signature: it may have been changed on the way.", text: "not signed" });
}

/** `flagged` when a mailbox of this field misleads (mixed alphabets, a name holding another address). */
function flaggedClass(h, field) {
  return h.addressFlags.some((f) => f.field === field) ? "flagged" : "";
}

// ---- revocation of the signer (CRL and OCSP through the Worker) -----------------------------

// When `open` could not check whether an S/MIME signer's certificate was revoked
// (signature.revocation "unchecked"), it names what to fetch (opened.revocationRequests: the
// OCSP responder's GET URL, else the CRL). The page asks the Worker for each at its own origin
// (GET /v1/revocation), hands the answer to `ring.importRevocation(request, answer)`, which
// checks the CA's (or its delegated responder's) signature, and opens the message again. One
// fetch per URL at a time for all articles; a failure is not asked again for a minute. What
// could not be checked then follows the policy (Admin: "When a signer's revocation cannot be
// checked"): accepted, accepted with a warning, or not trusted.
const RETRY_MS = 60_000;
/** @type {Map<string, { at: number, ok: boolean, done: Promise<string> }>} url -> what was checked */
const revocationFetches = new Map();
let crlImported = false; // a CRL was imported while reading: seal the keyring afterwards

const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Fetches and imports one request; resolves to a sentence for the details, never rejects. */
function checkRevocation(request) {
  const known = revocationFetches.get(request.url);
  if (known && (known.ok || Date.now() - known.at < RETRY_MS)) return known.done;
  const what = request.kind === "ocsp" ? `OCSP responder ${hostOf(request.url)}` : request.kind === "crl" ? `CRL ${request.url}` : `CA certificate ${request.url}`;
  const entry = { at: Date.now(), ok: false, done: Promise.resolve("") };
  entry.done = (async () => {
    try {
      const got = state.ring.importRevocation(request, await fetchRevocation(request.url, request.kind));
      entry.ok = true;
      if (got.kind === "crl") {
        crlImported = true;
        return `${what}: ${got.crl?.revoked ?? 0} revoked certificate(s) listed by ${got.crl?.issuer ?? request.issuer}`;
      }
      if (got.kind === "ocsp") return `${what}: ${(got.ocsp ?? []).map((o) => o.status).join(", ") || "no status"}`;
      return `${what}: imported`;
    } catch (e) {
      return `${what}: not checked (${e instanceof CourierError ? e.message : describeError(e)})`;
    }
  })();
  revocationFetches.set(request.url, entry);
  return entry.done;
}

/**
 * `open`, and when the signer's revocation is unchecked and a Worker is set up, the checks it
 * names, then `open` again. `checked`: what was asked and what came back, for the details.
 * @returns {Promise<{ r: import("mailseal").Opened, checked: string[] }>}
 */
async function openChecked(raw) {
  const first = await open(state.ring, raw);
  const requests = first.revocationRequests ?? [];
  if (!requests.length) return { r: first, checked: [] };
  if (!courier.token) return { r: first, checked: ["not asked: no Worker token is set (Admin → Key lookups and revocation checks)"] };
  const checked = await Promise.all(requests.map(checkRevocation));
  return { r: await open(state.ring, raw), checked };
}

const REVOCATION_WORDS = {
  good: "checked: not revoked",
  unchecked: "could not be checked",
  no_source: "not checkable (the certificate names no CRL or OCSP responder)",
};

/** The article for one message; `open` is async (the platform's crypto is). */
/**
 * @param {Uint8Array} raw
 * @param {string} title
 * @param {{ onReply?: (opened: import("mailseal").Opened) => void }} [options] a Reply button when given
 */
async function renderOpened(raw, title, { onReply } = {}) {
  let r;
  let checked;
  try {
    ({ r, checked } = await openChecked(raw));
  } catch (e) {
    return el("article", { class: "article", dataset: { error: e?.code ?? "error" } }, el("p", { class: "error", text: `${title}: ${describeError(e)}` }));
  }
  const h = r.headers;
  const badges = el("div", { class: "badges", role: "group", "aria-label": "Security status" });
  for (const [kind, st, cls, ic, label] of badgesFor(r)) {
    const rows = detailRows(r, kind === "scope" ? "signature" : kind, checked);
    const tip = rows.map(([k, v]) => `${k}: ${v}`).join("\n");
    const b = el("button", { type: "button", class: `badge ${cls}`, title: tip, dataset: { kind, state: st } }, icon(ic), ` ${label}`);
    b.addEventListener("click", () => showDetails(r, kind === "scope" ? "signature" : kind, checked));
    badges.append(b);
  }
  const art = el(
    "article",
    { class: "article", dataset: { encryption: r.encryption.state, signature: r.signature.state, scope: r.signature.scope ?? "", revocation: r.signature.revocation ?? "" } },
    el(
      "header",
      {},
      el(
        "div",
        {},
        el("strong", { text: h.subject ?? "(no subject)" }),
        unsignedMark(r, "subject"),
        el(
          "div",
          { class: "meta" },
          "From ",
          el("span", { class: flaggedClass(h, "from"), text: h.from ?? "?" }),
          unsignedMark(r, "from"),
          ` to ${[...h.to, ...h.cc].join(", ")}${h.date ? ` · ${h.date}` : ""}`,
        ),
      ),
      badges,
    ),
    el("p", { class: "hint", text: title }),
  );
  const banner = verdictBanner(r);
  if (banner) {
    art.dataset.verdict = banner.level;
    art.append(el("div", { class: `verdict ${banner.level}`, role: "note", "aria-label": "Security verdict" }, el("strong", {}, icon(banner.level === "bad" ? "stop" : "half"), ` ${banner.title}`), el("p", { text: banner.detail })));
  }
  if (r.warnings.length) art.append(el("ul", { class: "warnings" }, ...r.warnings.map((w) => el("li", { text: w.message }))));
  // The body is always framed and labelled as the sender's: what it draws (a green "verified"
  // seal in an HTML body) is not the page's verdict. Under a verdict it is muted as well.
  const [contentClass, label] = contentFrame(r, banner);
  const content = el("div", { class: `content ${contentClass}` }, el("p", { class: "content-label", text: label }));
  if (r.html) content.append(el("p", { class: "hint", text: "HTML body: scripts and remote content (images, fonts, styles from the web) are blocked. Badges or seals drawn inside it are part of the message, not mailseal's verdict." }), htmlFrame(r.html));
  else if (r.text) content.append(el("div", { class: "body", text: r.text }));
  if (content.childElementCount > 1) art.append(content);
  if (r.attachments.length) {
    const list = el("p", { class: "attachments" }, icon("clip"), " ");
    for (const a of r.attachments) {
      const type = inertType(a.contentType);
      const url = URL.createObjectURL(new Blob([/** @type {BlobPart} */ (a.data)], { type }));
      list.append(el("a", { href: url, type, download: a.filename || "attachment", text: `${a.filename || "attachment"} (${a.data.length} bytes)` }));
      // A file the message's signature does not speak for (inline PGP beside a signed block).
      if (r.signature.state !== "none" && !a.signed) list.append(el("span", { class: "unsigned", dataset: { field: "attachment" }, title: "This file is not covered by the signature: anyone could have added it.", text: "unsigned part" }));
      list.append(" ");
    }
    art.append(list);
  }
  if (onReply && h.from) {
    const reply = el("button", { type: "button", text: "Reply" });
    reply.addEventListener("click", () => onReply(r));
    art.append(reply);
  }
  return art;
}

/** The ticket's articles and the outbox; `onReply` starts a reply in the composer. */
export async function renderAgent(onReply) {
  const list = $("articles");
  const articles = await Promise.all(
    state.articles.map((a) => {
      if (!openedArticles.has(a.raw)) openedArticles.set(a.raw, renderOpened(a.raw, a.title, { onReply }));
      return openedArticles.get(a.raw);
    }),
  );
  list.replaceChildren(...articles.map((a) => el("li", {}, a)));
  renderOutbox();
  // A CRL fetched while reading is sealed with the keyring (OCSP answers stay in memory).
  if (crlImported) {
    crlImported = false;
    await persist().catch((e) => showError("saving the keyring", e));
  }
}

export function renderOutbox() {
  const list = $("outbox");
  list.replaceChildren();
  if (!state.outbox.length) list.append(el("li", { class: "hint", text: "Nothing sent yet." }));
  for (const m of state.outbox) {
    const btn = el("button", { type: "button", text: "Open" });
    const slot = el("div");
    btn.addEventListener("click", async () => slot.replaceChildren(await renderOpened(m.mime, `Outbox copy for ${m.to.join(", ")}`)));
    list.append(
      el("li", { dataset: { outbox: m.id } }, `${m.subject} → ${m.to.join(", ")} · ${m.method}${m.signed ? " · signed" : ""}${m.encrypted ? " · encrypted" : ""}${m.problemReport ? " · problem report" : ""} `, btn, slot),
    );
  }
}

