// The help-desk demo page. Everything security-relevant is the package's job (import, seal,
// capabilities, protect, open, check); this file only moves bytes between the user, IndexedDB
// and the package, and renders what the package reports. Nothing is sent over the network
// except fetching the page's own files (demo keys and demo messages) and, once the admin has
// saved a Worker token, asking the Worker at this same origin to look up keys and fetch
// revocation lists (courier.mjs).
import init, { Keyring, version } from "mailseal";
import { renderAdmin } from "./admin.mjs";
import { loadArticles, renderAgent } from "./articles.mjs";
import { applyGroupDefaults, fillComposerSelects, startReply } from "./composer.mjs";
import { loadCourier, setCourierToken } from "./courier.mjs";
import { DEFAULT_POLICY, importDemoKeys, loadPolicy, openedArticles, persist, state } from "./session.mjs";
import { forgetSealed, loadSealed } from "./store.mjs";
import { $, busy, describeError, showError } from "./ui.mjs";

// The views: setup (first start), unlock, agent, admin. Modules: ui.mjs (DOM helpers),
// session.mjs (keyring, policy, sealing), articles.mjs (reading), composer.mjs (writing),
// lookup.mjs (finding keys for the composer), courier.mjs (the Worker's fetching routes),
// admin.mjs (keys, policy, check, log), store.mjs (IndexedDB).

function showView(name) {
  // The agent and admin views need an open keyring: without one, the way is setup or unlock.
  if ((name === "agent" || name === "admin") && !state.ring) return;
  for (const id of ["setup", "unlock", "agent", "admin"]) $(id).hidden = id !== name;
  $("nav").hidden = !(name === "agent" || name === "admin");
  $("tab-agent").setAttribute("aria-pressed", String(name === "agent"));
  $("tab-admin").setAttribute("aria-pressed", String(name === "admin"));
  document.body.dataset.view = name;
  if (name === "admin") renderAdmin();
  if (name === "agent") renderAgent(startReply);
}

async function unlocked(ring, pass) {
  openedArticles.clear();
  state.ring = ring;
  state.pass = pass;
  loadPolicy(ring);
  await loadCourier();
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
  const admin = $("setup-admin").value;
  if (admin !== $("setup-admin2").value) return showError("Create", "the two admin passphrases differ");
  if (admin === pass) return showError("Create", "the admin passphrase must differ from the keyring's");
  const ring = new Keyring();
  try {
    // The one who creates the keyring is its admin for this session.
    await busy("Setting the admin passphrase…", () => ring.setAdminPassphrase(admin));
    // The group defaults live in the keyring from the start; the admin edits them there.
    ring.setPolicy(DEFAULT_POLICY);
    if ($("setup-demo").checked) await importDemoKeys(ring);
    state.ring = ring;
    state.pass = pass;
    await persist();
  } catch (e) {
    return showError("Create", e);
  }
  $("setup-pass").value = $("setup-pass2").value = $("setup-admin").value = $("setup-admin2").value = "";
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
  await setCourierToken("");
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

async function main() {
  await init();
  $("version").textContent = `mailseal ${version()}`;
  const sealed = await loadSealed();
  showView(sealed ? "unlock" : "setup");
  (sealed ? $("unlock-pass") : $("setup-pass")).focus();
  document.body.dataset.ready = "true";
}

main().catch((e) => showError("mailseal failed to start", e));
