// The admin view's "Team" (issue 16, docs/team.md): one address shared by several agents. This
// keyring's member key (ring.memberKey) to hand to the team; creating a team (a new keyring with
// a new OpenPGP key for the address, ring.teamCreate); opening a bundle from a file or pasted
// text (ring.teamOpen: the chain checked, rollback refused); adding and removing members and
// rotating the keys, each a new bundle made from the last one. Bundles are stored in IndexedDB per
// team address (store.mjs) and downloadable; the member key and the last change seen (the
// checkpoint against rollback) live in the keyring, which is sealed after every step.
import { Keyring, normalizeAddress } from "mailseal";
import { renderAdmin } from "./admin.mjs";
import { persist, state } from "./session.mjs";
import { loadTeams, saveTeam } from "./store.mjs";
import { $, busy, describeError, download, el } from "./ui.mjs";

/** @type {Map<string, { bundle: Uint8Array, team?: import("mailseal").OpenedTeam, error?: unknown }>} */
const teams = new Map();
/** The keyring the teams above were opened with (a lock / unlock starts again). */
let openedWith = null;

const KINDS = { create: "create", add_member: "add_member", remove_member: "remove_member", rotate: "rotate" };
const shortId = (id) => `${id.slice(0, 8)}…`;
const when = (at) => at.slice(0, 16).replace("T", " ");
const grouped = (id) => id.match(/.{1,4}/g).join(" ");
const isAgent = () => state.ring.role() === "agent";
const ADMIN_ONLY = "For the admin: unlock the admin role above.";

function say(status, error = "") {
  $("team-status").textContent = status;
  $("team-msg").textContent = error;
}

function button(text, onClick, props = {}) {
  const b = el("button", { type: "button", text, disabled: isAgent(), title: isAgent() ? ADMIN_ONLY : "", ...props });
  b.addEventListener("click", onClick);
  return b;
}

/** Opens `bundle` with this keyring; the earlier opened team of that address is released. */
function openBundle(bundle) {
  const team = state.ring.teamOpen(bundle);
  const old = teams.get(team.address);
  old?.team?.keyring.free();
  teams.set(team.address, { bundle, team });
  return team;
}

/** Called by renderAdmin: the stored teams (opened once per unlock), drawn. */
export async function renderTeam() {
  if (openedWith !== state.ring) {
    for (const t of teams.values()) t.team?.keyring.free();
    teams.clear();
    openedWith = state.ring;
    for (const { address, bundle } of (await loadTeams()) ?? []) {
      try {
        openBundle(bundle);
      } catch (e) {
        teams.set(address, { bundle, error: e });
      }
    }
  }
  drawTeams();
}

function drawTeams() {
  $("teams").replaceChildren(...[...teams.entries()].map(([address, t]) => teamBox(address, t)));
}

/** @param {string} address @param {{ bundle: Uint8Array, team?: import("mailseal").OpenedTeam, error?: unknown }} t */
function teamBox(address, { bundle, team, error }) {
  const head = el("h3", { text: `Team ${address}` });
  const save = button("Download bundle", () => download(`${address}.team.json`, bundle, "application/json"), { "aria-label": `Download the bundle of ${address}`, disabled: false, title: "" });
  if (!team) {
    return el("section", { class: "team-box", dataset: { address } }, head, el("p", { class: "error", text: `The stored bundle could not be opened: ${describeError(error)}` }), el("p", {}, save));
  }
  const last = team.changes.at(-1);
  const members = el(
    "ul",
    { class: "team-members", "aria-label": `Members of ${address}` },
    ...team.members.map((m) =>
      el(
        "li",
        { dataset: { id: m.id } },
        `${m.name} `,
        el("code", { title: m.id, text: `(${shortId(m.id)})` }),
        " ",
        button("Remove", () => removeMember(address, m), { "aria-label": `Remove ${m.name} from ${address}` }),
      ),
    ),
  );
  const paste = el("textarea", { class: "team-new-member", rows: 3, spellcheck: false, disabled: isAgent() });
  const pasteId = `team-add-${address}`;
  paste.id = pasteId;
  const add = el(
    "form",
    { class: "team-add" },
    el("label", { for: pasteId, text: "Add a member: paste their member key (JSON)" }),
    paste,
    el("button", { type: "submit", text: "Add member", disabled: isAgent(), title: isAgent() ? ADMIN_ONLY : "" }),
  );
  add.addEventListener("submit", (ev) => {
    ev.preventDefault();
    addMember(address, paste.value);
  });
  const changes = el(
    "ol",
    { class: "team-changes", "aria-label": `Changes of ${address}` },
    ...team.changes.map((c) =>
      el("li", { dataset: { kind: c.kind } }, `#${c.seq} `, el("strong", { text: KINDS[c.kind] ?? c.kind }), `${c.member ? ` ${c.member}` : ""} by ${c.by}, ${when(c.at)}`),
    ),
  );
  return el(
    "section",
    { class: "team-box", dataset: { address, seq: String(last?.seq ?? "") } },
    head,
    el("p", {}, `${team.members.length} member${team.members.length === 1 ? "" : "s"}; last change #${last?.seq} (${last?.kind}) by ${last?.by}. `, save),
    el("h4", { text: "Members" }),
    members,
    add,
    el("p", {}, button("Rotate keys", () => rotate(address), { "aria-label": `Rotate the keys of ${address}` }), " a new OpenPGP key (Curve25519) for the address; the old one stays for old mail."),
    el("div", { class: "team-rotated", "aria-live": "polite" }),
    el("h4", { text: "Changes" }),
    changes,
  );
}

/** Keeps `bundle` as the team's newest, opened; sealed and stored; drawn. */
async function keep(bundle) {
  const team = openBundle(bundle);
  await saveTeam(team.address, bundle);
  await persist();
  renderAdmin(); // the teams, and the log with the change
  return team;
}

/** A change from the last bundle; the failure shown with its code (and logged by the keyring). */
async function change(address, what, fn) {
  say("");
  const current = teams.get(address);
  if (!current) return;
  try {
    const out = await busy(`${what}…`, () => fn(current.bundle));
    await keep(out.bundle);
    return out;
  } catch (e) {
    say("", `${what}: ${describeError(e)}`);
    await persist().catch(() => {}); // the log keeps the refusal
    renderAdmin();
    return undefined;
  }
}

async function addMember(address, text) {
  let member;
  try {
    member = JSON.parse(text);
    if (!["id", "name", "wrap"].every((k) => typeof member?.[k] === "string")) throw new Error();
  } catch {
    say("", "Add member: that is not a member key (JSON with id, name and wrap).");
    return;
  }
  if (await change(address, `Adding ${member.name}`, (b) => ({ bundle: state.ring.teamAddMember(b, member) }))) {
    say(`${member.name} is a member of ${address}. Hand them the new bundle.`);
  }
}

async function removeMember(address, m) {
  if (await change(address, `Removing ${m.name}`, (b) => ({ bundle: state.ring.teamRemoveMember(b, m.id) }))) {
    say(`${m.name} is removed from ${address}: their member key opens no later bundle. If they kept a copy of the team's keys they can still decrypt mail to them: rotate the keys and publish the new public key.`);
  }
}

async function rotate(address) {
  const out = await change(address, `Rotating the keys of ${address}`, (b) => state.ring.teamRotate(b, { openpgp: "curve25519" }));
  if (!out?.openpgp) return;
  say(`New keys for ${address}.`);
  const box = $("teams").querySelector(`[data-address="${CSS.escape(address)}"] .team-rotated`);
  box?.replaceChildren(...madeKey(out.openpgp, "New OpenPGP key"));
}

/** What an OpenPGP key made for the team offers: its fingerprint, public key, revocation certificate. */
function madeKey(made, what) {
  const a = made.key.emails[0];
  const dl = (text, name) => button(text, () => download(name, text === "Download public key" ? made.publicKey : made.revocationCertificate, "application/pgp-keys"), { disabled: false, title: "" });
  return [
    el("p", {}, `${what} for ${a}. Fingerprint: `, el("code", { class: "fingerprint", text: grouped(made.key.id) })),
    el("p", {}, dl("Download public key", `${a}.asc`), " to publish (WKD, a keyserver, or to your correspondents)."),
    el("p", { class: "revocation" }, dl("Download revocation certificate", `${a}.rev.asc`), " Download it now (this page cannot offer it again) and keep it offline: importing it revokes the key."),
  ];
}

/** This keyring's member key under the name typed (made on first use, then sealed). */
function memberKey() {
  const name = $("member-name").value.trim();
  if (!name) throw Object.assign(new Error("Enter your name under My member key first."), { code: "bad_input" });
  return state.ring.memberKey(name);
}

$("member-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("");
  try {
    const m = memberKey();
    $("member-json").value = JSON.stringify(m);
    $("member-result").hidden = false;
    await persist();
    renderAdmin();
  } catch (e) {
    say("", `Member key: ${describeError(e)}`);
  }
});

$("member-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("member-json").value);
    say("Your member key is copied.");
  } catch {
    $("member-json").select();
    say("Copying is not allowed here: the text is selected, copy it.");
  }
});
$("member-download").addEventListener("click", () => {
  const m = JSON.parse($("member-json").value);
  download(`${m.name.replace(/[^\w.-]+/g, "_")}.member.json`, $("member-json").value, "application/json");
});

$("team-create-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("");
  $("team-created").replaceChildren();
  let address;
  try {
    address = normalizeAddress($("team-address").value);
  } catch (e) {
    return say("", describeError(e));
  }
  if (teams.has(address)) return say("", `A team for ${address} is stored here already.`);
  const desk = new Keyring();
  try {
    const made = await busy(`Making the key of ${address}…`, () => {
      memberKey();
      const made = desk.generateOpenPgp({ address, algorithm: "curve25519" });
      return { made, bundle: state.ring.teamCreate(address, desk) };
    });
    await keep(made.bundle);
    $("team-created").replaceChildren(...madeKey(made.made, "Team created, with a new OpenPGP key"));
    say(`The team ${address} is created, with you as its only member. Add members below.`);
  } catch (e) {
    say("", `Create the team: ${describeError(e)}`);
    await persist().catch(() => {}); // the log keeps the refusal
    renderAdmin();
  } finally {
    desk.free();
  }
});

$("team-load-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("");
  const file = $("team-file").files?.[0];
  const text = $("team-paste").value.trim();
  if (!file && !text) return say("", "Choose a bundle file or paste a bundle.");
  const bundle = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(text);
  try {
    const team = await keep(bundle);
    $("team-file").value = "";
    $("team-paste").value = "";
    say(`Opened the team ${team.address}: ${team.members.length} members, change #${team.changes.at(-1)?.seq}.`);
  } catch (e) {
    // Nothing of the refused bundle is used: the stored one stays.
    say("", `Not opened: ${describeError(e)}`);
    await persist().catch(() => {}); // the log keeps the refusal
    renderAdmin();
  }
});
