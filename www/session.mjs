// What the page holds while the keyring is open: the keyring and its passphrase (memory
// only), the outbox, the demo articles, the admin's policy (not secret: localStorage), and
// sealing the keyring into IndexedDB after every change.
import { saveSealed } from "./store.mjs";
import { busy } from "./ui.mjs";

export const state = {
  /** @type {import("mailseal").Keyring | null} */
  ring: null,
  pass: null, // the sealing passphrase, kept in memory only while unlocked
  outbox: [], // { id, to, method, signed, encrypted, problemReport, mime, subject }
  articles: [], // { title, raw }
};

/** @type {import("mailseal").Policy & { groups: Record<string, { sign?: boolean; encrypt?: boolean; method?: import("mailseal").Method }> }} */
export const DEFAULT_POLICY = {
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
export let policy = loadPolicy();

/** The admin saved a new policy: kept in localStorage for the next visit. */
export function setPolicy(p) {
  policy = p;
  localStorage.setItem("mailseal-policy", JSON.stringify(policy));
}

/**
 * Opened articles, kept until the keyring changes: showing the Agent tab again must not open
 * (and log) every message again. Cleared by `persist()` and on unlock.
 * @type {Map<Uint8Array, Promise<HTMLElement>>}
 */
export const openedArticles = new Map();

export async function persist() {
  openedArticles.clear(); // keys changed: the verdicts may have too
  const sealed = await busy("Sealing the keyring…", () => state.ring.seal(state.pass));
  await saveSealed(sealed);
}

export async function importDemoKeys(ring) {
  const manifest = await (await fetch("demo-keys/manifest.json")).json();
  for (const key of manifest.keys) {
    const bytes = new Uint8Array(await (await fetch(`demo-keys/${key.file}`)).arrayBuffer());
    ring.import(bytes, { trusted: key.trusted });
  }
}
