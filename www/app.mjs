// The help-desk demo page. Everything security-relevant is the package's job (import, seal,
// capabilities, protect, open, check); this file only moves bytes between the user, IndexedDB
// and the package, and renders what the package reports. Nothing is sent over the network
// except fetching the page's own files (demo keys and demo messages).
import init, { Keyring, open, protect, version } from "mailseal";
import { forgetSealed, loadSealed, saveSealed } from "./store.mjs";

// The page's own elements by id. Typed `any` for the type check (tests/js/types/www.tsconfig.json),
// which is about the package API: every call into "mailseal" is checked against its .d.ts.
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {(selector: string) => any} */
const $q = (selector) => document.querySelector(selector);

const state = {
  /** @type {Keyring | null} */
  ring: null,
  pass: null, // the sealing passphrase, kept in memory only while unlocked
  outbox: [], // { id, to, method, signed, encrypted, problemReport, mime, subject }
  articles: [], // { title, raw }
};

// ---- helpers --------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node && typeof v !== "string") node[k] = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

function describeError(e) {
  const code = e && typeof e === "object" && e.code ? ` [${e.code}]` : "";
  return `${e?.message ?? e}${code}`;
}

function showError(context, e) {
  $("error").textContent = context ? `${context}: ${describeError(e)}` : "";
}

/** Runs slow work (Argon2 in seal/unseal takes about a second) behind a spinner. */
async function busy(text, fn) {
  $("busy-text").textContent = text;
  $("busy").hidden = false;
  // Let the browser paint the spinner before the synchronous wasm call blocks the thread.
  // (The timeout also covers hidden tabs, where animation frames do not come.)
  await new Promise((r) => {
    requestAnimationFrame(() => setTimeout(r, 0));
    setTimeout(r, 100);
  });
  try {
    return await fn();
  } finally {
    $("busy").hidden = true;
  }
}

function splitAddresses(s) {
  return s.split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean);
}

function download(name, data, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- policy (not secret: kept in localStorage) -------------------------------------------------

/** @type {import("mailseal").Policy & { groups: Record<string, { sign?: boolean; encrypt?: boolean; method?: import("mailseal").Method }> }} */
const DEFAULT_POLICY = {
  methodPriority: ["smime", "pgp"],
  fallback: "block",
  groups: {
    "First level": { sign: true, encrypt: false },
    Security: { sign: true, encrypt: true },
    Billing: { sign: false, encrypt: false },
  },
};

/** @returns {typeof DEFAULT_POLICY} */
function loadPolicy() {
  try {
    const p = JSON.parse(localStorage.getItem("mailseal-policy") ?? "null");
    if (p && Array.isArray(p.methodPriority) && p.groups) return p;
  } catch {}
  return structuredClone(DEFAULT_POLICY);
}
let policy = loadPolicy();

// ---- keyring persistence --------------------------------------------------------------------

async function persist() {
  openedArticles.clear(); // keys changed: the verdicts may have too
  const sealed = await busy("Sealing the keyring…", () => state.ring.seal(state.pass));
  await saveSealed(sealed);
}

async function importDemoKeys(ring) {
  const manifest = await (await fetch("demo-keys/manifest.json")).json();
  for (const key of manifest.keys) {
    const bytes = new Uint8Array(await (await fetch(`demo-keys/${key.file}`)).arrayBuffer());
    ring.import(bytes, { trusted: key.trusted });
  }
}

function showView(name) {
  // The agent and admin views need an open keyring: without one, the way is setup or unlock.
  if ((name === "agent" || name === "admin") && !state.ring) return;
  for (const id of ["setup", "unlock", "agent", "admin"]) $(id).hidden = id !== name;
  $("nav").hidden = !(name === "agent" || name === "admin");
  $("tab-agent").setAttribute("aria-pressed", String(name === "agent"));
  $("tab-admin").setAttribute("aria-pressed", String(name === "admin"));
  document.body.dataset.view = name;
  if (name === "admin") renderAdmin();
  if (name === "agent") renderAgent();
}

async function unlocked(ring, pass) {
  openedArticles.clear();
  state.ring = ring;
  state.pass = pass;
  fillComposerSelects();
  await loadArticles();
  showView("agent");
  applyGroupDefaults();
}

$("setup-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  showError("");
  const pass = $("setup-pass").value;
  if (pass !== $("setup-pass2").value) return showError("Create", "the two passphrases differ");
  const ring = new Keyring();
  try {
    if ($("setup-demo").checked) await importDemoKeys(ring);
    state.ring = ring;
    state.pass = pass;
    await persist();
  } catch (e) {
    return showError("Create", e);
  }
  $("setup-pass").value = $("setup-pass2").value = "";
  await unlocked(ring, pass);
});

$("unlock-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("unlock-msg").textContent = "";
  const pass = $("unlock-pass").value;
  try {
    const sealed = await loadSealed();
    const ring = await busy("Unlocking…", () => Keyring.unseal(sealed, pass));
    $("unlock-pass").value = "";
    await unlocked(ring, pass);
  } catch (e) {
    $("unlock-msg").textContent =
      e?.code === "bad_password"
        ? "Wrong passphrase (or the stored keyring was altered: a passphrase cannot tell). It is unchanged; try again."
        : `The keyring could not be opened: ${describeError(e)}`;
    $("unlock-pass").select();
  }
});

$("forget").addEventListener("click", async () => {
  if (!confirm("Delete the stored keyring? Its keys are lost unless you exported them.")) return;
  await forgetSealed();
  showView("setup");
});

$("lock").addEventListener("click", () => {
  state.ring?.free();
  state.ring = null;
  state.pass = null;
  state.outbox = [];
  $("sent").replaceChildren();
  showView("unlock");
  $("unlock-pass").focus();
});
$("tab-agent").addEventListener("click", () => showView("agent"));
$("tab-admin").addEventListener("click", () => showView("admin"));

// ---- agent view: articles ---------------------------------------------------------------------

async function loadArticles() {
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

/**
 * Status icons as inline SVG (emoji render as empty boxes without an emoji font): 24×24 strokes
 * in currentColor, hidden from screen readers (the text beside them says it).
 */
const ICONS = {
  lock: "M6 11h12v9H6z M8.5 11V8a3.5 3.5 0 0 1 7 0v3",
  check: "M4 12.5l5 5L20 6.5",
  cross: "M6 6l12 12M18 6L6 18",
  warn: "M12 3L22 20H2z M12 9.5v5 M12 17.2v.6",
  question: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7 M12 16.8v.6",
  clock: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M12 7v5.5l3.5 2",
  stop: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M5.6 5.6l12.8 12.8",
  half: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M12 3v18 M12 7h5 M12 11h6.5 M12 15h6",
  mail: "M3 6h18v12H3z M3 6l9 7l9-7",
  clip: "M16.5 7.5l-7 7a2 2 0 0 0 2.8 2.8l7.2-7.2a4 4 0 0 0-5.7-5.7L6.6 11.6a6 6 0 0 0 8.5 8.5L20 15.2",
};

/** @param {keyof typeof ICONS} name */
function icon(name) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "1em", height: "1em", class: "icon", "aria-hidden": "true", focusable: "false" })) svg.setAttribute(k, v);
  const path = document.createElementNS(NS, "path");
  for (const [k, v] of Object.entries({ d: ICONS[name], fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round" })) path.setAttribute(k, v);
  svg.append(path);
  return svg;
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

function detailRows(r, kind) {
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
    ["Detail", s.detail ?? "—"],
  ];
}

function showDetails(r, kind) {
  const list = $("detail-list");
  list.replaceChildren();
  for (const [k, v] of detailRows(r, kind)) list.append(el("dt", { text: k }), el("dd", { text: String(v) }));
  $("detail-title").textContent = kind === "encryption" ? "Encryption details" : "Signature details";
  $("detail-dialog").showModal();
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

/** The article for one message; `open` is async (the platform's crypto is). */
async function renderOpened(raw, title, { replyable = true } = {}) {
  let r;
  try {
    r = await open(state.ring, raw);
  } catch (e) {
    return el("article", { class: "article", dataset: { error: e?.code ?? "error" } }, el("p", { class: "error", text: `${title}: ${describeError(e)}` }));
  }
  const h = r.headers;
  const badges = el("div", { class: "badges", role: "group", "aria-label": "Security status" });
  for (const [kind, st, cls, ic, label] of badgesFor(r)) {
    const rows = detailRows(r, kind === "scope" ? "signature" : kind);
    const tip = rows.map(([k, v]) => `${k}: ${v}`).join("\n");
    const b = el("button", { type: "button", class: `badge ${cls}`, title: tip, dataset: { kind, state: st } }, icon(ic), ` ${label}`);
    b.addEventListener("click", () => showDetails(r, kind === "scope" ? "signature" : kind));
    badges.append(b);
  }
  const art = el(
    "article",
    { class: "article", dataset: { encryption: r.encryption.state, signature: r.signature.state, scope: r.signature.scope ?? "" } },
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
  if (r.warnings.length) art.append(el("ul", { class: "warnings" }, ...r.warnings.map((w) => el("li", { text: w }))));
  // Content under a verdict is muted and labelled, so it is not read as the sender's word.
  const content = el("div", { class: banner ? `content ${banner.level === "bad" ? "quarantined" : "unsigned-part"}` : "content" });
  if (banner) content.append(el("p", { class: "content-label", text: banner.level === "bad" ? "Content of a message that failed its check:" : "Not covered by a signature:" }));
  if (r.html) content.append(el("p", { class: "hint", text: "HTML body: scripts and remote content (images, fonts, styles from the web) are blocked." }), htmlFrame(r.html));
  else if (r.text) content.append(el("div", { class: "body", text: r.text }));
  if (content.childElementCount > (banner ? 1 : 0)) art.append(content);
  if (r.attachments.length) {
    const list = el("p", { class: "attachments" }, icon("clip"), " ");
    for (const a of r.attachments) {
      const url = URL.createObjectURL(new Blob([/** @type {BlobPart} */ (a.data)], { type: a.contentType }));
      list.append(el("a", { href: url, download: a.filename || "attachment", text: `${a.filename || "attachment"} (${a.data.length} bytes)` }));
    }
    art.append(list);
  }
  if (replyable && h.from) {
    const reply = el("button", { type: "button", text: "Reply" });
    reply.addEventListener("click", () => startReply(r));
    art.append(reply);
  }
  return art;
}

/**
 * Opened articles, kept until the keyring changes: showing the Agent tab again must not open
 * (and log) every message again. Cleared by `persist()` and on unlock.
 * @type {Map<Uint8Array, Promise<HTMLElement>>}
 */
const openedArticles = new Map();

async function renderAgent() {
  const list = $("articles");
  const articles = await Promise.all(
    state.articles.map((a) => {
      if (!openedArticles.has(a.raw)) openedArticles.set(a.raw, renderOpened(a.raw, a.title));
      return openedArticles.get(a.raw);
    }),
  );
  list.replaceChildren(...articles.map((a) => el("li", {}, a)));
  renderOutbox();
}

function renderOutbox() {
  const list = $("outbox");
  list.replaceChildren();
  if (!state.outbox.length) list.append(el("li", { class: "hint", text: "Nothing sent yet." }));
  for (const m of state.outbox) {
    const btn = el("button", { type: "button", text: "Open" });
    const slot = el("div");
    btn.addEventListener("click", async () => slot.replaceChildren(await renderOpened(m.mime, `Outbox copy for ${m.to.join(", ")}`, { replyable: false })));
    list.append(
      el("li", { dataset: { outbox: m.id } }, `${m.subject} → ${m.to.join(", ")} · ${m.method}${m.signed ? " · signed" : ""}${m.encrypted ? " · encrypted" : ""}${m.problemReport ? " · problem report" : ""} `, btn, slot),
    );
  }
}

// ---- agent view: composer ---------------------------------------------------------------------

function ownAddresses() {
  const seen = new Set();
  for (const k of state.ring.list()) if (k.hasSecret) for (const e of k.emails) seen.add(e);
  return [...seen].sort();
}

function fillComposerSelects() {
  const from = $("c-from");
  const keep = from.value;
  from.replaceChildren(...ownAddresses().map((a) => el("option", { value: a, text: a })));
  if ([...from.options].some((o) => o.value === keep)) from.value = keep;
  const group = $("c-group");
  const g = group.value;
  group.replaceChildren(...Object.keys(policy.groups).map((n) => el("option", { value: n, text: n })));
  if (policy.groups[g]) group.value = g;
}

/**
 * What the agent asked for: the group's defaults until they change a toggle themselves. Kept
 * apart from the checkboxes, so a toggle that was impossible for a moment (no recipient yet, a
 * key missing) comes back on by itself when it is possible again: never a silent downgrade.
 */
const wanted = { sign: false, encrypt: false };

function applyGroupDefaults() {
  const g = policy.groups[$("c-group").value] ?? {};
  wanted.sign = Boolean(g.sign);
  wanted.encrypt = Boolean(g.encrypt);
  const m = g.method ?? "auto";
  for (const r of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="c-method"]'))) r.checked = r.value === m;
  updateToggles();
}

function chosenMethod() {
  return /** @type {"auto" | import("mailseal").Method} */ ($q('input[name="c-method"]:checked')?.value ?? "auto");
}

function addressesInput() {
  return { from: $("c-from").value, to: splitAddresses($("c-to").value), cc: splitAddresses($("c-cc").value) };
}

/** @returns {import("mailseal").ProtectOptions} what Send asks the package for. */
function sendOptions() {
  return { ...wanted, method: chosenMethod(), policy, group: $("c-group").value, encryptToSelf: true, confirmDowngrade: $("c-confirm").checked };
}

const METHOD_NAMES = { smime: "S/MIME", pgp: "OpenPGP" };

/** One line per planned copy: who gets what. */
function describeCopy(/** @type {import("mailseal").PlannedCopy} */ d) {
  const how = d.problemReport
    ? "a problem report instead of the message"
    : [d.encrypted ? "encrypted" : "not encrypted", d.signed ? "signed" : "not signed"].join(", ") + (d.method === "none" ? "" : ` (${METHOD_NAMES[d.method]})`);
  return `${d.to.join(", ")}${d.bcc ? " (Bcc)" : ""}: ${how}`;
}

let lastShortfall = "";

/**
 * Asks the package (ring.preview) what the toggles may do and what Send would do, and shows
 * both: toggles with their reasons, and next to Send the copies, the reason it is blocked, or
 * how it falls short of the group's defaults (then Send needs the agent's explicit consent).
 */
function updateToggles() {
  if (!state.ring) return;
  let preview;
  try {
    preview = state.ring.preview(addressesInput(), { ...sendOptions(), confirmDowngrade: false });
  } catch (e) {
    $("c-why").textContent = describeError(e);
    $("c-send").setAttribute("aria-disabled", "true");
    $("c-send").dataset.refused = describeError(e);
    return;
  }
  const why = [];
  /** @type {[string, string, "sign" | "encrypt", import("mailseal").Toggle][]} */
  const toggles = [
    ["c-sign", "l-sign", "sign", preview.sign],
    ["c-encrypt", "l-encrypt", "encrypt", preview.encrypt],
  ];
  for (const [box, label, key, toggle] of toggles) {
    const input = /** @type {HTMLInputElement} */ ($(box));
    input.checked = wanted[key];
    // Off and impossible: cannot be turned on. On and impossible stays on (and can be turned
    // off): the outcome below says what sending would do.
    input.disabled = !toggle.possible && !wanted[key];
    $(label).title = toggle.reason;
    input.setAttribute("aria-description", toggle.reason);
    if (!toggle.possible || (key === "encrypt" && /fallback/.test(toggle.reason))) why.push(toggle.reason);
  }
  const byMethod = Object.fromEntries(preview.capabilities.methods.map((m) => [m.method, m]));
  for (const m of /** @type {const} */ (["smime", "pgp"])) {
    const c = byMethod[m];
    const possible = Boolean(c && (c.canSign || c.canEncrypt));
    const radio = $q(`input[name="c-method"][value="${m}"]`);
    radio.disabled = !possible;
    if (!possible && radio.checked) {
      $q('input[name="c-method"][value="auto"]').checked = true;
      return updateToggles();
    }
    $(`l-${m}`).title = possible
      ? [`${METHOD_NAMES[m]} is possible`, ...(c?.keyNotes ?? [])].join("\n")
      : c ? [c.signDetail, ...c.encryptDetails].filter(Boolean).join("\n") : "not allowed by the policy";
  }
  $("c-why").textContent = why.join(" · ");
  renderOutcome(preview);
}

function renderOutcome(/** @type {import("mailseal").Preview} */ preview) {
  const box = $("c-outcome");
  box.dataset.outcome = preview.outcome;
  const shortfall = preview.shortfall.join(" ");
  // A consent is for this shortfall only: anything else changes, the agent is asked again.
  if (shortfall !== lastShortfall) $("c-confirm").checked = false;
  lastShortfall = shortfall;
  const items = [];
  if (preview.outcome === "blocked") {
    items.push(el("p", { class: "blocked", text: `Cannot be sent: ${preview.blocked?.detail ?? ""}` }));
  } else {
    items.push(el("p", { text: "Send will deliver:" }), el("ul", {}, ...preview.deliveries.map((d) => el("li", { text: describeCopy(d) }))));
  }
  if (preview.outcome === "confirm") {
    items.push(el("p", { class: "shortfall", text: `Less protected than the group's defaults: ${shortfall}` }));
  }
  $("c-outcome-text").replaceChildren(...items);
  $("l-confirm").hidden = preview.outcome !== "confirm";
  // aria-disabled, not disabled: Send stays reachable with Tab, and pressing it says why not.
  const refused = preview.outcome === "blocked" ? `Cannot be sent: ${preview.blocked?.detail ?? ""}` : preview.outcome === "confirm" && !$("c-confirm").checked ? "Confirm first that it may be sent less protected than the group's defaults." : "";
  $("c-send").setAttribute("aria-disabled", String(Boolean(refused)));
  $("c-send").dataset.refused = refused;
}

for (const id of ["c-from", "c-to", "c-cc"]) $(id).addEventListener("input", updateToggles);
$("c-group").addEventListener("change", applyGroupDefaults);
for (const r of document.querySelectorAll('input[name="c-method"]')) r.addEventListener("change", updateToggles);
for (const key of /** @type {const} */ (["sign", "encrypt"])) {
  $(`c-${key}`).addEventListener("change", () => {
    wanted[key] = /** @type {HTMLInputElement} */ ($(`c-${key}`)).checked;
    updateToggles();
  });
}
$("c-confirm").addEventListener("change", updateToggles);
const redrawKeys = () => {
  keyRows = KEY_PAGE;
  drawKeys();
};
$("key-search").addEventListener("input", redrawKeys);
for (const id of ["key-kind", "key-filter", "key-sort"]) $(id).addEventListener("change", redrawKeys);
$("key-more").addEventListener("click", () => {
  keyRows += KEY_PAGE;
  drawKeys();
});

function startReply(r) {
  const h = r.headers;
  const own = ownAddresses();
  const mine = [...h.to, ...h.cc].find((a) => own.includes(a));
  if (mine) $("c-from").value = mine;
  $("c-to").value = h.from ?? "";
  $("c-cc").value = "";
  $("c-subject").value = /^re:/i.test(h.subject ?? "") ? h.subject : `Re: ${h.subject ?? ""}`;
  // Only what the package says is safe to quote: never the raw body of a partly signed mail.
  const quoted = r.quoteForReply.replace(/\n$/, "").split("\n").map((l) => (l ? `> ${l}` : ">")).join("\n");
  $("c-body").value = `\n\n${h.from} wrote:\n${quoted}\n`;
  $("compose").dataset.inReplyTo = h.messageId ?? "";
  applyGroupDefaults();
  $("c-body").focus();
  $("c-body").setSelectionRange(0, 0);
}

$("c-new").addEventListener("click", () => {
  $("compose").reset();
  delete $("compose").dataset.inReplyTo;
  $("sent").replaceChildren();
  fillComposerSelects();
  applyGroupDefaults();
  $("c-to").focus();
});

$("compose").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  showError("");
  if ($("c-send").getAttribute("aria-disabled") === "true") {
    $("sent").replaceChildren(el("p", { class: "error", role: "alert", text: `Not sent: ${$("c-send").dataset.refused}` }));
    return;
  }
  const addr = addressesInput();
  const attachments = [];
  for (const f of $("c-files").files) {
    attachments.push({ filename: f.name, contentType: f.type || "application/octet-stream", data: new Uint8Array(await f.arrayBuffer()) });
  }
  /** @type {import("mailseal").Draft} */
  const draft = { ...addr, subject: $("c-subject").value, text: $("c-body").value, attachments };
  const inReplyTo = $("compose").dataset.inReplyTo;
  if (inReplyTo) draft.inReplyTo = inReplyTo;
  /** @type {import("mailseal").ProtectOptions} */
  // The package refuses what the preview called blocked, and a shortfall without consent.
  const opts = sendOptions();
  let out;
  const box = $("sent");
  try {
    out = await protect(state.ring, draft, opts);
  } catch (e) {
    box.replaceChildren(el("p", { class: "error", role: "alert", text: `Not sent: ${describeError(e)}` }));
    return;
  }
  // Sent: an empty composer, so nothing goes out twice by accident.
  for (const id of ["c-to", "c-cc", "c-subject", "c-body", "c-files"]) /** @type {HTMLInputElement} */ ($(id)).value = "";
  delete $("compose").dataset.inReplyTo;
  applyGroupDefaults();
  const dec = new TextDecoder();
  box.replaceChildren(el("h3", { text: `Sent: ${out.deliveries.length} deliver${out.deliveries.length === 1 ? "y" : "ies"}` }));
  if (out.warnings.length) box.append(el("ul", { class: "warnings" }, ...out.warnings.map((w) => el("li", { text: w }))));
  const table = el("table", { class: "deliveries" }, el("thead", {}, el("tr", {}, ...["to", "method", "signed", "encrypted", "problem report"].map((t) => el("th", { text: t })))));
  const tbody = el("tbody");
  table.append(tbody);
  box.append(el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Delivery table" }, table));
  for (const d of out.deliveries) {
    const id = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    state.outbox.push({ id, subject: draft.subject || "(no subject)", ...d });
    tbody.append(el("tr", { dataset: { method: d.method } }, ...[d.to.join(", "), d.method, d.signed ? "yes" : "no", d.encrypted ? "yes" : "no", d.problemReport ? "yes" : "no"].map((t) => el("td", { text: t }))));
    box.append(el("details", {}, el("summary", { text: `MIME for ${d.to.join(", ")} (${d.mime.length} bytes)` }), el("pre", { class: "mime", text: dec.decode(d.mime) })));
  }
  renderOutbox();
});

// ---- admin view -------------------------------------------------------------------------------

function renderAdmin() {
  renderKeys();
  renderPolicy();
  renderCheck();
  renderLog();
}

/** The admin's key list, read once per change of the keyring; searching and sorting use it. */
let keyCache = [];
const KEY_PAGE = 50;
let keyRows = KEY_PAGE;

function renderKeys() {
  keyCache = state.ring.list();
  drawKeys();
}

const TRUST_LABELS = { anchor: "trust anchor", chained: "chains to an anchor", verified: "verified by the admin", unverified: "not verified" };
const KIND_ORDER = { smime: 0, pgp: 1 };
const DAY = 86_400_000;

/** What the search box matches: addresses, names and the fingerprint with or without spaces. */
function keyText(k) {
  return [k.emails.join(" "), k.subject ?? "", k.issuer ?? "", k.id, ...(k.keyIds ?? [])].join(" ").toLowerCase();
}

/** The rows that pass the search and filters, sorted: runs on every keystroke, on the cache. */
function visibleKeys() {
  // Every word must match; a fingerprint pasted in groups (or with colons) matches group by group.
  const words = $("key-search").value.toLowerCase().replace(/:/g, "").split(/\s+/).filter(Boolean);
  const kind = $("key-kind").value;
  const filter = $("key-filter").value;
  const now = Date.now();
  const keep = (k) => {
    if (kind === "ca" ? !k.isCa : kind && (k.kind !== kind || k.isCa)) return false;
    if (filter === "valid" && k.status !== "valid") return false;
    if (filter === "invalid" && k.status === "valid") return false;
    if (filter === "expiring" && !(k.status === "valid" && k.expires && Date.parse(k.expires) - now < 30 * DAY)) return false;
    if (filter === "secret" && !k.hasSecret) return false;
    if (filter === "unverified" && k.trust !== "unverified") return false;
    if (filter === "conflict" && !k.conflicts?.length) return false;
    const text = keyText(k);
    return words.every((w) => text.includes(w));
  };
  const by = {
    address: (k) => k.emails[0] ?? k.subject ?? "~",
    expires: (k) => k.expires ?? "9999",
    kind: (k) => `${KIND_ORDER[k.kind]}${k.isCa ? 0 : 1}`,
    status: (k) => k.status,
    trust: (k) => k.trust,
  }[$("key-sort").value] ?? ((k) => k.emails[0] ?? "");
  return keyCache.filter(keep).sort((a, b) => by(a).localeCompare(by(b)) || a.id.localeCompare(b.id));
}

/** 64 hex digits in groups of four, as gpg prints them, so two can be compared by eye. */
const groupedFingerprint = (id) => id.match(/.{1,4}/g).join(" ");

function drawKeys() {
  const body = $("keys");
  body.replaceChildren();
  const matching = visibleKeys();
  // A page of rows at a time: the search narrows, "Show more" extends; hundreds of rows at once
  // would make every keystroke slow.
  const keys = matching.slice(0, keyRows);
  $("key-count").textContent = `${matching.length} of ${keyCache.length} keys${keys.length < matching.length ? `, first ${keys.length} shown` : ""}`;
  $("key-more").hidden = keys.length >= matching.length;
  if (!keys.length) body.append(el("tr", {}, el("td", { colSpan: 9, text: keyCache.length ? "no key matches" : "no keys" })));
  for (const k of keys) {
    const can = [k.canSign && "sign", k.canEncrypt && "encrypt", k.isCa && "CA"].filter(Boolean).join(", ") || "—";
    const actions = el("td");
    const label = `${k.kind === "smime" ? "S/MIME" : "OpenPGP"} ${k.emails.join(", ") || k.subject || k.id.slice(0, 16)}`;
    const pub = el("button", { type: "button", text: "Public", "aria-label": `Download public ${label}` });
    pub.addEventListener("click", () => {
      try {
        download(`${k.emails[0] ?? k.id.slice(0, 16)}.${k.kind === "smime" ? "crt.pem" : "pub.asc"}`, state.ring.exportPublic(k.id), "text/plain");
      } catch (e) {
        showError("Export", e);
      }
    });
    actions.append(pub);
    if (k.hasSecret) {
      const sec = el("button", { type: "button", text: "Private", "aria-label": `Download private ${label}` });
      sec.addEventListener("click", async () => {
        const pass = await askPassphrase(`A passphrase to protect the exported private key of ${label}.`);
        if (pass === "") showError("Export", new Error("A private key is only exported protected by a passphrase: nothing was exported."));
        if (!pass) return;
        try {
          const bytes = await busy("Protecting the private key…", () => state.ring.exportSecret(k.id, pass));
          download(`${k.emails[0] ?? k.id.slice(0, 16)}.${k.kind === "smime" ? "p12" : "sec.asc"}`, bytes);
        } catch (e) {
          showError("Export", e);
        }
      });
      actions.append(" ", sec);
    }
    const del = el("button", { type: "button", text: "Delete", "aria-label": `Delete ${label}` });
    del.addEventListener("click", async () => {
      const what = k.hasSecret
        ? `Delete ${label} WITH ITS PRIVATE KEY?\n\nMail encrypted to it can no longer be read here, unless you have a backup (Private: download).`
        : `Delete ${label}?`;
      if (!confirm(what)) return;
      state.ring.remove(k.id);
      await persist();
      fillComposerSelects();
      renderAdmin();
    });
    actions.append(" ", del);
    body.append(
      el(
        "tr",
        { dataset: { id: k.id, kind: k.kind } },
        el("td", { text: k.kind === "smime" ? (k.isCa ? "S/MIME CA" : "S/MIME") : "OpenPGP" }),
        el("td", { text: k.emails.join(", ") || k.subject || "—" }),
        el("td", { class: `status-${k.status}`, text: k.status }),
        el("td", { text: k.expires ? k.expires.slice(0, 10) : "—" }),
        el("td", { text: can }),
        el("td", { text: k.hasSecret ? "yes" : "no" }),
        // Another key claims one of this key's addresses: the admin must settle which is theirs.
        el("td", { class: `trust-${k.trust}`, dataset: { trust: k.trust } }, TRUST_LABELS[k.trust] ?? k.trust, k.conflicts?.length
          ? el("span", { class: "conflict", title: `Other keys claim this address: ${k.conflicts.join(", ")}` }, " · ", icon("warn"), " address conflict")
          : null),
        el("td", { class: "id", text: groupedFingerprint(k.id) }),
        actions,
      ),
    );
  }
}

function askPassphrase(why) {
  return new Promise((resolve) => {
    const dlg = $("pass-dialog");
    $("pass-why").textContent = why;
    $("pass-input").value = "";
    dlg.returnValue = "";
    dlg.addEventListener(
      "close",
      () => {
        const v = $("pass-input").value;
        $("pass-input").value = "";
        resolve(dlg.returnValue === "ok" ? v : null);
      },
      { once: true },
    );
    dlg.showModal();
    $("pass-input").focus();
  });
}

/** Imports one file or pasted text, asking for a passphrase while the package says it is needed. */
async function importOne(name, data) {
  const trusted = $("import-trusted").checked;
  let passphrase;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return state.ring.import(data, { trusted, passphrase });
    } catch (e) {
      if (e?.code !== "bad_passphrase") throw e;
      passphrase = await askPassphrase(`${name} is protected${attempt ? " (the passphrase was wrong)" : ""}: ${e.message}`);
      if (passphrase == null) throw e;
    }
  }
  throw new Error(`${name}: too many wrong passphrases`);
}

async function importMany(items) {
  const lines = [];
  let changed = false;
  for (const { name, data } of items) {
    try {
      const before = new Map(state.ring.list().map((k) => [k.id, k]));
      const infos = await importOne(name, data);
      changed = true;
      const label = (k) => k.emails.join(", ") || k.subject || k.id.slice(0, 16);
      // A key that was there already is said so (a secret key added to a certificate is new).
      const known = infos.filter((k) => before.has(k.id) && (before.get(k.id).hasSecret || !k.hasSecret));
      const added = infos.filter((k) => !known.includes(k));
      if (added.length) lines.push(`${name}: imported ${added.length} key(s): ${added.map(label).join("; ")}`);
      if (known.length) lines.push(`${name}: already in the keyring: ${known.map(label).join("; ")}`);
    } catch (e) {
      lines.push(`${name}: not imported: ${describeError(e)}`);
    }
  }
  // Seal and store first, then report: once the message is shown the keyring is saved.
  if (changed) {
    try {
      await persist();
    } catch (e) {
      lines.push(`The keyring could not be saved: ${describeError(e)}`);
    }
    fillComposerSelects();
    updateToggles();
  }
  renderAdmin();
  $("import-msg").textContent = lines.join("\n");
}

async function filesToItems(files) {
  const items = [];
  for (const f of files) items.push({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) });
  return items;
}

$("import-file").addEventListener("change", async () => {
  const items = await filesToItems($("import-file").files);
  $("import-file").value = "";
  await importMany(items);
});
$("import-paste-btn").addEventListener("click", async () => {
  const text = $("import-paste").value.trim();
  if (!text) return;
  await importMany([{ name: "pasted text", data: text }]);
  $("import-paste").value = "";
});
const drop = $("drop");
drop.addEventListener("dragover", (ev) => {
  ev.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (ev) => {
  ev.preventDefault();
  drop.classList.remove("over");
  await importMany(await filesToItems(ev.dataTransfer.files));
});

function renderPolicy() {
  const body = $("groups");
  body.replaceChildren();
  for (const [name, g] of Object.entries(policy.groups)) {
    const method = el("select", { "aria-label": `${name}: method`, dataset: { group: name, field: "method" } }, ...["auto", "smime", "pgp"].map((m) => el("option", { value: m, text: m === "auto" ? "automatic" : m === "smime" ? "S/MIME" : "OpenPGP" })));
    method.value = g.method ?? "auto";
    body.append(
      el(
        "tr",
        {},
        el("th", { scope: "row", text: name }),
        el("td", {}, el("input", { type: "checkbox", checked: Boolean(g.sign), "aria-label": `${name}: sign`, dataset: { group: name, field: "sign" } })),
        el("td", {}, el("input", { type: "checkbox", checked: Boolean(g.encrypt), "aria-label": `${name}: encrypt`, dataset: { group: name, field: "encrypt" } })),
        el("td", {}, method),
      ),
    );
  }
  $("p-priority").value = policy.methodPriority.join(",");
  $("p-fallback").value = policy.fallback;
}

$("policy-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  /** @type {typeof DEFAULT_POLICY.groups} */
  const groups = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ ($("groups").querySelectorAll("[data-group]"))) {
    const g = (groups[input.dataset.group] ??= {});
    if (input.dataset.field === "method") {
      if (input.value !== "auto") g.method = /** @type {import("mailseal").Method} */ (input.value);
    } else g[input.dataset.field] = input.checked;
  }
  policy = { methodPriority: $("p-priority").value.split(","), fallback: $("p-fallback").value, groups };
  localStorage.setItem("mailseal-policy", JSON.stringify(policy));
  $("policy-msg").textContent = "Saved.";
  fillComposerSelects();
  applyGroupDefaults();
  renderCheck();
});

function renderCheck() {
  const box = $("check");
  box.replaceChildren();
  let r;
  try {
    r = state.ring.check({ addresses: ownAddresses() }, { policy });
  } catch (e) {
    box.append(el("p", { class: "error", text: describeError(e) }));
    return;
  }
  const table = el("table", {}, el("thead", {}, el("tr", {}, ...["address", "method", "sign", "decrypt"].map((t) => el("th", { text: t })))));
  const tb = el("tbody");
  for (const a of r.addresses) {
    for (const m of a.methods) {
      tb.append(
        el(
          "tr",
          {},
          el("td", { text: a.address }),
          el("td", { text: m.method === "smime" ? "S/MIME" : "OpenPGP" }),
          el("td", { class: m.canSign ? "status-valid" : "status-expired" }, icon(m.canSign ? "check" : "cross"), m.canSign ? " yes" : ` no: ${m.signDetail ?? "no key"}`),
          el("td", { class: m.canDecrypt ? "status-valid" : "status-expired" }, icon(m.canDecrypt ? "check" : "cross"), m.canDecrypt ? " yes" : ` no: ${m.decryptDetail ?? "no key"}`),
        ),
      );
    }
  }
  table.append(tb);
  box.append(el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Readiness table" }, table));
  const notice = (title, list) => {
    if (!list?.length) return;
    box.append(el("h3", { text: title }), el("ul", {}, ...list.map((k) => el("li", { text: `${k.kind === "smime" ? "S/MIME" : "OpenPGP"} ${k.emails?.join(", ") || k.id.slice(0, 16)}: ${k.status}${k.expires ? `, expires ${k.expires.slice(0, 10)}` : ""}${k.detail ? ` (${k.detail})` : ""}` }))));
  };
  notice("Trust anchors", r.trustAnchors);
  notice("Expiring soon", r.expiring);
  notice("Unusable keys", r.unusable);
  if (r.details?.length) box.append(el("ul", {}, ...r.details.map((d) => el("li", { text: d }))));
}

function renderLog() {
  const body = $("log");
  body.replaceChildren();
  const events = state.ring.recentLog().slice(-50).reverse();
  if (!events.length) body.append(el("tr", {}, el("td", { colSpan: 7, text: "no events yet" })));
  for (const ev of events) {
    const keys = ev.keyIds.map((id) => groupedFingerprint(id).slice(0, 19)).join(", ");
    body.append(el("tr", { dataset: { action: ev.action, outcome: ev.outcome } }, ...[ev.time, ev.action, ev.method ?? "", ev.outcome, ev.code ?? "", ev.addresses.join(", "), keys].map((t) => el("td", { text: t }))));
  }
}

// ---- start ------------------------------------------------------------------------------------

async function main() {
  await init();
  $("version").textContent = `mailseal ${version()}`;
  const sealed = await loadSealed();
  showView(sealed ? "unlock" : "setup");
  (sealed ? $("unlock-pass") : $("setup-pass")).focus();
  document.body.dataset.ready = "true";
}

main().catch((e) => showError("mailseal failed to start", e));
