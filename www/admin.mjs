// The admin view: the key list (search, filter, sort, trust), import and export, the Worker
// token for lookups and revocation checks, the policy's groups and fallback, the readiness
// self-check (with "Fetch now" for revocation lists) and the recent log. Making keys is
// generate.mjs, teams team.mjs.
import { applyGroupDefaults, fillComposerSelects, ownAddresses, updateToggles } from "./composer.mjs";
import { CourierError, SOURCE_NAMES, courier, fetchRevocation, setCourierToken } from "./courier.mjs";
import { renderGenerate } from "./generate.mjs";
import { renderTeam } from "./team.mjs";
import { DEFAULT_POLICY, persist, policy, setPolicy, state } from "./session.mjs";
import { $, askPassphrase, busy, describeError, download, el, icon, showError } from "./ui.mjs";

export function renderAdmin() {
  renderRole();
  renderKeys();
  renderGenerate();
  renderTeam().catch((e) => showError("Team", e));
  renderCourier();
  renderPolicy();
  renderCheck();
  renderLog();
}

/** The agent role sees admin-only controls disabled (and the package refuses them anyway). */
const isAgent = () => state.ring.role() === "agent";
const ADMIN_ONLY = "For the admin: unlock the admin role above.";

function renderRole() {
  const agent = isAgent();
  $("role-text").textContent = !state.ring.hasAdminPassphrase()
    ? "No admin passphrase is set: whoever unlocks this keyring can make, export, delete and trust keys."
    : agent
      ? "Agent role: making, exporting, deleting and trusting keys and changing the policy need the admin passphrase."
      : "Admin role, unlocked for this session.";
  $("admin-unlock-form").hidden = !agent;
  $("admin-lock").hidden = agent || !state.ring.hasAdminPassphrase();
  const trusted = /** @type {HTMLInputElement} */ ($("import-trusted"));
  trusted.disabled = agent;
  if (agent) trusted.checked = false;
  for (const form of ["policy-form", "courier-form", "gen-form", "member-form", "team-create-form", "team-load-form"]) {
    for (const c of /** @type {NodeListOf<HTMLInputElement>} */ ($(form).querySelectorAll("input, select, button"))) c.disabled = agent;
    $(form).title = agent ? ADMIN_ONLY : "";
  }
}

// ---- the Worker token (courier.mjs) ---------------------------------------------------------

function renderCourier() {
  $("courier-msg").textContent = courier.token
    ? "Lookups and revocation checks are on: a token is saved in this browser (not in the keyring, and never in its log)."
    : "Lookups and revocation checks are unavailable: no token is saved. Keys and revocation lists can still be imported by hand above.";
}

$("courier-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($("courier-token"));
  if (!input.value.trim()) return;
  await setCourierToken(input.value);
  input.value = "";
  renderAdmin();
  updateToggles();
});
$("courier-forget").addEventListener("click", async () => {
  await setCourierToken("");
  renderAdmin();
  updateToggles();
});

$("admin-unlock-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("admin-msg").textContent = "";
  try {
    await busy("Checking the admin passphrase…", () => state.ring.unlockAdmin($("admin-pass").value));
  } catch (e) {
    $("admin-msg").textContent = e?.code === "bad_password" ? "Wrong admin passphrase." : describeError(e);
  }
  $("admin-pass").value = "";
  await persist(); // the log keeps the attempt
  renderAdmin();
});

$("admin-lock").addEventListener("click", async () => {
  state.ring.lockAdmin();
  await persist();
  renderAdmin();
});

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
      const sec = el("button", { type: "button", text: "Private", "aria-label": `Download private ${label}`, disabled: isAgent(), title: isAgent() ? ADMIN_ONLY : "" });
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
    const del = el("button", { type: "button", text: "Delete", "aria-label": `Delete ${label}`, disabled: isAgent(), title: isAgent() ? ADMIN_ONLY : "" });
    del.addEventListener("click", async () => {
      const what = k.hasSecret
        ? `Delete ${label} WITH ITS PRIVATE KEY?\n\nMail encrypted to it can no longer be read here, unless you have a backup (Private: download).`
        : `Delete ${label}?`;
      if (!confirm(what)) return;
      try {
        state.ring.remove(k.id);
      } catch (e) {
        return showError("Delete", e);
      }
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
        el("td", { class: `trust-${k.trust}`, dataset: { trust: k.trust } }, TRUST_LABELS[k.trust] ?? k.trust, k.origin
          ? el("span", { class: "origin", title: `Looked up for ${k.origin.address}` }, ` · found by ${SOURCE_NAMES[k.origin.source] ?? k.origin.source} ${k.origin.foundAt.slice(0, 10)}`)
          : null, k.conflicts?.length
          ? el("span", { class: "conflict", title: `Other keys claim this address: ${k.conflicts.join(", ")}` }, " · ", icon("warn"), " address conflict")
          : null),
        el("td", { class: "id", text: groupedFingerprint(k.id) }),
        actions,
      ),
    );
  }
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

/** A certificate revocation list (PEM "X509 CRL", or a .crl file): for importCrl. */
function isCrl(name, data) {
  if (/\.crl$/i.test(name)) return true;
  const head = typeof data === "string" ? data.slice(0, 4096) : new TextDecoder("latin1").decode(data.subarray(0, 4096));
  return head.includes("-----BEGIN X509 CRL-----");
}

async function importMany(items) {
  const lines = [];
  let changed = false;
  for (const { name, data } of items) {
    if (isCrl(name, data)) {
      try {
        const crl = state.ring.importCrl(data);
        changed = true;
        lines.push(`${name}: revocation list of ${crl.issuer}: ${crl.revoked} revoked certificate(s)${crl.stale ? " (past its next update: fetch a newer one)" : ""}`);
      } catch (e) {
        lines.push(`${name}: not imported: ${describeError(e)}`);
      }
      continue;
    }
    try {
      const before = new Map(state.ring.list().map((k) => [k.id, k]));
      const pending = state.ring.pendingKeys();
      const infos = await importOne(name, data);
      changed = true;
      // An issued certificate joins the key pair made here for it (generate.mjs).
      const left = new Set(state.ring.pendingKeys().map((p) => p.id));
      for (const p of pending) if (!left.has(p.id)) lines.push(`${name}: the certificate joins the private key made here for ${p.address}`);
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
        el("td", {}, el("input", { type: "checkbox", checked: g.protectHeaders !== false, "aria-label": `${name}: protect headers`, dataset: { group: name, field: "protectHeaders" } })),
      ),
    );
  }
  $("p-priority").value = policy.methodPriority.join(",");
  $("p-fallback").value = policy.fallback;
  $("p-unchecked").value = policy.uncheckedRevocation ?? "pass";
}

$("policy-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  /** @type {typeof DEFAULT_POLICY.groups} */
  const groups = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ ($("groups").querySelectorAll("[data-group]"))) {
    const g = (groups[input.dataset.group] ??= {});
    if (input.dataset.field === "method") {
      if (input.value !== "auto") g.method = /** @type {import("mailseal").Method} */ (input.value);
    } else if (input.dataset.field === "protectHeaders") {
      // Checked is the default (headers protected whenever the mail is encrypted).
      if (!input.checked) g.protectHeaders = false;
    } else g[input.dataset.field] = input.checked;
  }
  try {
    const uncheckedRevocation = /** @type {import("mailseal").UncheckedRevocation} */ ($("p-unchecked").value);
    // What the page does not edit (algorithms, signature rules, Autocrypt) is kept as stored.
    await setPolicy({ ...policy, methodPriority: $("p-priority").value.split(","), fallback: $("p-fallback").value, uncheckedRevocation, groups });
  } catch (e) {
    $("policy-msg").textContent = `Not saved: ${describeError(e)}`;
    return;
  }
  $("policy-msg").textContent = "Saved in the keyring.";
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
  // Revocation: what is held, and what to fetch. The page fetches nothing from other sites
  // (its CSP): "Fetch now" asks the Worker at this origin (/v1/revocation); without a Worker
  // token, import the files above.
  const crls = state.ring.crls();
  const ocsp = state.ring.ocspStatuses();
  const due = state.ring.revocationRequests();
  box.append(el("h3", { text: "Revocation (S/MIME: CRLs and OCSP)" }));
  const how = courier.token ? "" : " and import it above";
  box.append(
    el(
      "ul",
      { id: "revocation" },
      ...crls.map((c) => el("li", { text: `${c.issuer}: ${c.revoked} revoked, updated ${c.thisUpdate.slice(0, 10)}${c.nextUpdate ? `, next ${c.nextUpdate.slice(0, 10)}` : ""}${c.stale ? " (out of date)" : ""}` })),
      // OCSP answers are held in memory only (not sealed): asked again after a reload.
      ...ocsp.map((o) => el("li", { text: `OCSP: certificate ${o.serial} of ${o.issuer}: ${o.status}${o.revokedAt ? ` since ${o.revokedAt.slice(0, 10)}` : ""}, until ${o.currentUntil.slice(0, 16).replace("T", " ")} (this session only)` })),
      ...due.map((q) =>
        el(
          "li",
          { class: "status-expired" },
          icon("warn"),
          q.kind === "ocsp"
            ? ` Not checked: ${q.subject ?? "a certificate"} of ${q.issuer}, ask its OCSP responder ${q.responder ?? hostOf(q.url)}${courier.token ? "" : " (needs the Worker)"}`
            : ` ${q.reason === "stale" ? "Out of date" : "Not checked"}: ${q.issuer}, fetch ${q.url}${how}`,
        ),
      ),
      ...(crls.length || ocsp.length || due.length ? [] : [el("li", { text: "None held, none named by the certificates in the keyring." })]),
    ),
  );
  if (due.length && courier.token) {
    const fetchNow = el("button", { type: "button", id: "revocation-fetch", text: "Fetch now" });
    fetchNow.addEventListener("click", () => fetchDue(fetchNow));
    box.append(fetchNow);
  }
}

/** The host of a URL, for sentences. */
const hostOf = (url) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/**
 * "Fetch now": every revocation request that is due (CRLs, and OCSP answers for certificates
 * that name a responder), fetched by the Worker and judged by the package with the request it
 * answers (`importRevocation`: a CRL's or OCSP answer's signature by the CA of the keyring, or
 * its delegated responder). CRLs are sealed with the keyring; OCSP answers are held in memory.
 */
async function fetchDue(button) {
  button.disabled = true;
  const msg = $("revocation-msg");
  msg.textContent = "Fetching…";
  const due = state.ring.revocationRequests();
  const seen = new Set();
  const lines = [];
  let changed = false;
  for (const q of due) {
    if (seen.has(q.url)) continue;
    seen.add(q.url);
    try {
      const got = state.ring.importRevocation(q, await fetchRevocation(q.url, q.kind));
      if (got.kind === "ocsp") {
        const statuses = (got.ocsp ?? []).map((o) => o.status).join(", ");
        lines.push(`${q.subject ?? q.issuer}: OCSP answer from ${hostOf(q.url)}: ${statuses}`);
      } else if (got.crl) {
        const crl = got.crl;
        lines.push(`${q.url}: revocation list of ${crl.issuer}: ${crl.revoked} revoked certificate(s)${crl.stale ? " (past its next update)" : ""}`);
      }
      changed = true;
    } catch (e) {
      lines.push(`${q.kind === "ocsp" ? hostOf(q.url) : q.url}: not imported: ${e instanceof CourierError ? e.message : describeError(e)}`);
    }
  }
  if (changed) {
    try {
      await persist();
    } catch (e) {
      lines.push(`The keyring could not be saved: ${describeError(e)}`);
    }
    updateToggles();
  }
  renderAdmin();
  msg.textContent = lines.join("\n") || "Nothing was due.";
}

function renderLog() {
  const body = $("log");
  body.replaceChildren();
  const events = state.ring.recentLog().slice(-50).reverse();
  if (!events.length) body.append(el("tr", {}, el("td", { colSpan: 8, text: "no events yet" })));
  for (const ev of events) {
    const keys = ev.keyIds.map((id) => groupedFingerprint(id).slice(0, 19)).join(", ");
    body.append(el("tr", { dataset: { action: ev.action, outcome: ev.outcome } }, ...[ev.time, ev.action, ev.method ?? "", ev.outcome, ev.code ?? "", ev.addresses.join(", "), keys, ev.role ?? ""].map((t) => el("td", { text: t }))));
  }
}

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
