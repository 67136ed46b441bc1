// The composer: asks the package (ring.preview) what the toggles may do and what Send would do
// under the policy, and sends with protect. It decides nothing about policy itself. For a
// recipient without a key it offers "Find key" (lookup.mjs).
import { protect } from "mailseal";
import { renderOutbox } from "./articles.mjs";
import { renderLookups } from "./lookup.mjs";
import { policy, state } from "./session.mjs";
import { $, $q, describeError, el, showError, splitAddresses } from "./ui.mjs";

export function ownAddresses() {
  const seen = new Set();
  for (const k of state.ring.list()) if (k.hasSecret) for (const e of k.emails) seen.add(e);
  return [...seen].sort();
}

export function fillComposerSelects() {
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

export function applyGroupDefaults() {
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
export function updateToggles() {
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
  renderLookups(addressesInput(), updateToggles);
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

export function startReply(r) {
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
  if (out.warnings.length) box.append(el("ul", { class: "warnings" }, ...out.warnings.map((w) => el("li", { text: w.message }))));
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
