// What the page holds while the keyring is open: the keyring and its passphrase (memory
// only), the outbox, the demo articles, the admin's policy (kept in the keyring), and
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

/** @type {import("mailseal").Policy & { groups: Record<string, { sign?: boolean; encrypt?: boolean; method?: import("mailseal").Method; protectHeaders?: boolean }> }} */
export const DEFAULT_POLICY = {
  methodPriority: ["smime", "pgp"],
  fallback: "block",
  groups: {
    "First level": { sign: true, encrypt: false },
    Security: { sign: true, encrypt: true },
    Billing: { sign: false, encrypt: false },
  },
};

/**
 * The desk's policy: the one the admin stored in the keyring (sealed with it), or the demo's
 * defaults for a keyring that has none yet. Read again on every unlock.
 */
export let policy = structuredClone(DEFAULT_POLICY);

/** The policy of a keyring just opened or created. */
export function loadPolicy(ring) {
  const stored = /** @type {typeof DEFAULT_POLICY | undefined} */ (ring.policy());
  policy = stored?.groups ? stored : structuredClone(DEFAULT_POLICY);
}

/** The admin saved a new policy: into the keyring (admin only, logged), sealed at once. */
export async function setPolicy(p) {
  state.ring.setPolicy(p);
  policy = p;
  await persist();
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
