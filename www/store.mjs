// IndexedDB persistence for the sealed keyring: only the bytes `ring.seal(passphrase)` returns
// are stored (Argon2 + AEAD inside the package); the page never stores keys in the clear.
// Beside it, one setting the keyring has no place for: the token for the Worker's lookup and
// revocation routes (courier.mjs), in the clear, as a browser keeps a login cookie. And the
// team bundles (team.mjs), one per team address: they reveal nothing without a member's key.
const DB = "mailseal-demo";
const STORE = "vault";
const KEY = "keyring";
const COURIER = "courier-token";

function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, fn) {
  const conn = await db();
  try {
    return await new Promise((resolve, reject) => {
      const tx = conn.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    conn.close();
  }
}

/** The sealed keyring bytes, or undefined when none is stored yet. */
export const loadSealed = () => run("readonly", (s) => s.get(KEY));
/** Replaces the stored sealed keyring (one transaction: the old copy stays until it commits). */
export const saveSealed = (bytes) => run("readwrite", (s) => s.put(bytes, KEY));
export const forgetSealed = () => run("readwrite", (s) => s.delete(KEY));

/** The Worker token the admin entered (courier.mjs), or undefined. */
export const loadCourierToken = () => run("readonly", (s) => s.get(COURIER));
export const saveCourierToken = (token) => run("readwrite", (s) => s.put(token, COURIER));
export const forgetCourierToken = () => run("readwrite", (s) => s.delete(COURIER));

/** The team bundles stored here: [{ address, bundle }]. */
export const loadTeams = () => run("readonly", (s) => s.getAll(IDBKeyRange.bound("team:", "team:\uffff")));
/** Replaces the stored bundle of the team `address`. */
export const saveTeam = (address, bundle) => run("readwrite", (s) => s.put({ address, bundle }, `team:${address}`));
