// "Find key" in the composer: for each recipient the package says has no key
// (ring.recipientsWithoutKey), the agent may ask the Worker (courier.mjs) to look one up (WKD,
// then the Worker's keyservers). What comes back is judged here by the package
// (ring.lookupCandidates: a public key with a valid user ID for exactly that address) and shown
// with where it was found; nothing is imported until the agent picks a key, and then only as a
// found, unverified key (ring.importFound), never a trust anchor. The keyring is sealed again and
// the preview runs again, so Encrypt follows.
import { isMailsealError, parseAddress } from "mailseal";
import { CourierError, SOURCE_NAMES, courier, describeTried, lookUpKey } from "./courier.mjs";
import { persist, policy, state } from "./session.mjs";
import { $, describeError, el, icon } from "./ui.mjs";

/**
 * Whether the package would look keys up for `address` (one address with a host-name domain:
 * while typing, "carol@exa" is not asked about).
 * @param {string} address
 */
function lookupable(address) {
  try {
    return parseAddress(address).lookup;
  } catch (e) {
    if (isMailsealError(e)) return false;
    throw e;
  }
}

/** address -> { state: "busy" | "found" | "error", source?, url?, answer?, candidates?, error? } */
const lookups = new Map();
/** address -> { box, action, status, list }: the recipient's entry, kept while it is shown. */
const boxes = new Map();
let changed = () => {};

const grouped = (id) => id.match(/.{1,4}/g).join(" ");

/** The recipients no allowed method can encrypt to, when OpenPGP is allowed (lookups find OpenPGP keys). */
function missing({ from, to, cc }) {
  if (!state.ring || (!to.length && !cc.length)) return [];
  const methods = policy.methodPriority?.length ? policy.methodPriority : ["smime", "pgp"];
  if (!methods.includes("pgp")) return [];
  const head = `From: ${from}\r\nTo: ${to.join(", ")}\r\n${cc.length ? `Cc: ${cc.join(", ")}\r\n` : ""}\r\n`;
  try {
    return state.ring.recipientsWithoutKey(head, { policy }).filter(lookupable);
  } catch {
    return []; // an address the package cannot read: the preview says so
  }
}

/** Called after every preview: one entry per recipient without a key. */
export function renderLookups(addresses, onChange) {
  changed = onChange;
  const want = missing(addresses);
  for (const [a, b] of boxes) {
    if (!want.includes(a)) {
      b.box.remove();
      boxes.delete(a);
    }
  }
  for (const a of want) if (!boxes.has(a)) boxes.set(a, makeBox(a));
  const list = $("c-lookup");
  const order = want.map((a) => boxes.get(a).box);
  if (order.some((b, i) => list.children[i] !== b) || list.children.length !== order.length) list.replaceChildren(...order);
  list.hidden = want.length === 0;
  for (const a of want) draw(a);
}

function makeBox(address) {
  const b = {
    box: el("li", { class: "lookup", dataset: { address } }, el("p", { class: "lookup-head" }, icon("question"), ` No key for ${address}.`)),
    action: el("span"),
    status: el("p", { class: "lookup-status", role: "status", tabindex: "-1" }),
    list: el("ul", { class: "candidates", "aria-label": `Keys found for ${address}` }),
  };
  b.box.firstChild.append(" ", b.action);
  b.box.append(b.status, b.list);
  return b;
}

function draw(address) {
  const b = boxes.get(address);
  if (!b) return;
  const entry = lookups.get(address);
  b.action.replaceChildren();
  b.list.replaceChildren();
  b.list.hidden = true;
  b.status.className = "lookup-status";
  if (!courier.token) {
    b.status.textContent = "Key lookups are unavailable: no Worker is set up for this page (Admin → Key lookups and revocation checks). The admin can import the key by hand.";
    b.status.classList.add("hint");
    return;
  }
  if (!entry || entry.state === "error") {
    const find = el("button", { type: "button", class: "find-key", text: entry ? "Try again" : "Find key", "aria-label": `${entry ? "Try again to find" : "Find"} a key for ${address}` });
    find.addEventListener("click", () => find_(address));
    b.action.append(find);
  }
  if (!entry) {
    b.status.textContent = "";
  } else if (entry.state === "busy") {
    b.status.textContent = `Looking up a key for ${address} (WKD, then keyservers)…`;
  } else if (entry.state === "error") {
    b.status.textContent = entry.error;
    b.status.classList.add("error");
  } else {
    const n = entry.candidates.length;
    b.status.textContent = `Found by ${SOURCE_NAMES[entry.source] ?? entry.source}: ${n} key${n === 1 ? "" : "s"} for ${address}. Not verified: compare the fingerprint with the customer before relying on it. Nothing is imported until you choose a key.`;
    b.list.hidden = false;
    b.list.append(...entry.candidates.map((k) => candidate(address, entry, k)));
  }
}

function candidate(address, entry, k) {
  const usable = k.status === "valid" && k.canEncrypt;
  const use = el("button", { type: "button", class: "use-key", text: "Use this key", "aria-label": `Use key ${grouped(k.id).slice(0, 19)} for ${address}`, disabled: !usable });
  use.addEventListener("click", () => accept(address, entry, k));
  let host = "";
  try {
    host = new URL(entry.url).host;
  } catch {
    /* the Worker sent no URL: the source says enough */
  }
  const row = (term, value, cls) => [el("dt", { text: term }), el("dd", { text: value, ...(cls ? { class: cls } : {}) })];
  return el(
    "li",
    { class: "candidate", dataset: { fingerprint: k.id, source: entry.source } },
    el("p", { class: "candidate-source" }, el("strong", { text: SOURCE_NAMES[entry.source] ?? entry.source }), host ? ` · ${host}` : "", " · ", el("span", { class: "trust-unverified", text: "found, not verified" })),
    el(
      "dl",
      {},
      ...row("User ID", k.subject ?? "—"),
      ...row("Addresses", k.emails.join(", ")),
      ...row("Fingerprint", grouped(k.id), "fingerprint"),
      ...row("Algorithm", k.algorithm),
      ...row("Created", k.created.slice(0, 10)),
      ...row("Expires", k.expires ? k.expires.slice(0, 10) : "never"),
      ...row("Status", usable ? k.status : `${k.status}${k.canEncrypt ? "" : ", cannot encrypt"}: not usable`),
    ),
    use,
  );
}

/** Why a lookup gave nothing, in a sentence for the agent. */
function explain(address, e) {
  if (e?.code === "key_not_found") {
    const tried = describeTried(e.tried);
    return `No key found for ${address}${tried ? ` (${tried})` : ""}. Ask the customer for their key, or send as the policy allows without it.`;
  }
  if (e instanceof CourierError) return e.message;
  return `The lookup failed: ${describeError(e)}`;
}

/** After a redraw, keep the keyboard where the agent was: on the results or the retry button. */
function refocus(address, had) {
  const b = boxes.get(address);
  if (!had || !b) return;
  const target = b.list.querySelector("button:not([disabled])") ?? b.action.querySelector("button") ?? b.status;
  target.focus();
}

async function find_(address) {
  const had = boxes.get(address)?.box.contains(document.activeElement);
  lookups.set(address, { state: "busy" });
  draw(address);
  if (had) boxes.get(address)?.status.focus();
  let entry;
  try {
    const found = await lookUpKey(address);
    let candidates;
    try {
      // The package here judges the bytes, not the Worker: valid user ID for this address,
      // public keys only.
      candidates = state.ring.lookupCandidates(address, found.answer);
    } catch (e) {
      throw new CourierError(e?.code ?? "refused", `The answer from ${SOURCE_NAMES[found.source] ?? found.source} was refused here: ${describeError(e)}`);
    }
    entry = { state: "found", ...found, candidates };
  } catch (e) {
    entry = { state: "error", error: explain(address, e) };
  }
  lookups.set(address, entry);
  draw(address);
  refocus(address, had);
}

async function accept(address, entry, key) {
  const msg = $("c-lookup-msg");
  try {
    state.ring.importFound(address, entry.source, entry.answer, { fingerprint: key.id });
  } catch (e) {
    lookups.set(address, { state: "error", error: `Not imported: ${describeError(e)}` });
    draw(address);
    return;
  }
  lookups.delete(address);
  try {
    await persist();
  } catch (e) {
    msg.textContent = `The keyring could not be saved: ${describeError(e)}`;
    changed();
    return;
  }
  msg.textContent = `Key ${grouped(key.id)} imported for ${address}: found by ${SOURCE_NAMES[entry.source] ?? entry.source}, not verified.`;
  changed();
  $("c-to").focus();
}
