// Surviving a WebAssembly trap (issue 13). A trap is a bug (a panic is `unreachable` in
// release builds; an allocation that fails aborts), but it must not take the page or the
// Worker down with it: before this, a trap while a keyring was in use left that keyring failing
// every later call ("recursive use of an object"), and one inside `open` hung every later
// Promise and ended a Node process with an unhandled rejection.
//
// Every entry of the package exports the API through `recoverable(glue)`. The wasm-bindgen
// glue is built able to start a new instance of the module (scripts/recoverable-glue.mjs);
// here:
//
// - the call that trapped fails with a MailsealError of code `internal` that says so
//   (`restarted: true`); so does every Promise the module still owed (the trap stopped them);
// - the next call runs on a new instance, with the runtime's crypto set as it was;
// - each Keyring comes back as it was after its last completed change: after every call that
//   can change it (import, remove, a finished open / protect's audit event, ...) it is sealed
//   with a random 256-bit key held by its JavaScript object (`sealWithKey`: no Argon2, about a
//   millisecond for a desk's keyring), and unsealed into the new instance at its next call.
//   The sealed copy lives in the same JavaScript heap as the module's memory, which holds the
//   keys anyway (SECURITY.md).

/** Keyring methods that only read it: no sealed copy needed after them. */
const READS = new Set(["list", "get", "conflicts", "exportPublic", "exportSecret", "seal", "sealWithKey", "capabilities", "preview", "check", "keptForOtherBuilds", "role", "hasAdminPassphrase"]);
/** Glue internals that are not API. */
const HIDDEN = new Set(["constructor", "free", "__destroy_into_raw", "__wbg_ptr"]);

function trapError() {
  const e = new Error(
    "mailseal stopped on an internal error (a bug: please report it) and was restarted; this call did nothing, and every keyring is as it was before it.",
  );
  e.name = "MailsealError";
  e.code = "internal";
  e.restarted = true;
  return e;
}

function notAKeyring() {
  const e = new Error("The keyring was freed, or this is not a mailseal Keyring.");
  e.name = "MailsealError";
  e.code = "bad_input";
  return e;
}

function badArgument(cause) {
  const e = new Error("An argument could not be read: a property getter threw, or it is a revoked Proxy.", { cause });
  e.name = "MailsealError";
  e.code = "bad_input";
  return e;
}

/** Whether `value` is an object the module reads field by field (a plain object, an array,
 * or a Proxy of one); byte arrays, dates, keyrings, maps and class instances pass as they are. */
function isPlainData(value) {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The arguments of a call, their plain objects and arrays read here into plain copies, once.
 * A getter that throws, or a revoked Proxy, then fails the call with `bad_input` before the
 * module runs. Read by the module (serde-wasm-bindgen's property reads do not catch), the
 * exception unwound past the code that releases the keyring in use, and every later call on
 * that keyring failed with "recursive use of an object detected" (found by the API sweep).
 */
function readArguments(args) {
  const read = (value, depth) => {
    if (value === null || typeof value !== "object" || depth > 64 || !isPlainData(value)) return value;
    if (Array.isArray(value)) return value.map((v) => read(v, depth + 1));
    const copy = {};
    for (const key of Object.keys(value)) copy[key] = read(value[key], depth + 1);
    return copy;
  };
  try {
    return args.map((a) => read(a, 0));
  } catch (e) {
    throw badArgument(e);
  }
}

/** The package's API over `glue` (one wasm-bindgen output, made recoverable). */
export function recoverable(glue) {
  /** The trap that stopped the current instance; the next call starts a new one. */
  let stopped = null;
  /** `reject`s of the Promises the current instance still owes. */
  const owed = new Set();
  /** The last `usePlatformCrypto(on)`, applied again to a new instance. */
  let platform;

  glue.__mailseal_onTrap(() => {
    stopped = true;
    const rejects = [...owed];
    owed.clear();
    for (const reject of rejects) reject(trapError());
  });

  function restartIfStopped() {
    if (!stopped) return;
    glue.__mailseal_restart();
    stopped = null;
    if (platform !== undefined) glue.usePlatformCrypto(platform);
  }

  /** Runs a synchronous call; a trap becomes the `internal` error. */
  function sync(fn) {
    restartIfStopped();
    try {
      return fn();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw trapError();
      throw e;
    }
  }

  /** Runs a call that returns a Promise; a trap anywhere in it rejects it. */
  function async(fn) {
    return new Promise((resolve, reject) => {
      let promise;
      try {
        promise = sync(fn);
      } catch (e) {
        reject(e);
        return;
      }
      owed.add(reject);
      Promise.resolve(promise).then(
        (value) => {
          owed.delete(reject);
          resolve(value);
        },
        (error) => {
          owed.delete(reject);
          reject(error);
        },
      );
    });
  }

  // ---- Keyring ------------------------------------------------------------------------------

  /** Per Keyring object: its glue keyring, the instance it lives in, its sealed copy. */
  const states = new WeakMap();
  /** `new Keyring(WRAP, inner)`: around a glue keyring; `WRAP_AS, inner, sealed, key`: with its copy. */
  const WRAP = Symbol("wrap");
  const WRAP_AS = Symbol("wrap with its sealed copy");

  function state(ring) {
    const s = states.get(ring);
    if (!s) throw notAKeyring();
    return s;
  }

  /** The keyring's glue object in the current instance, brought back from its copy if needed. */
  function current(ring) {
    const s = state(ring);
    restartIfStopped();
    if (s.generation !== glue.__mailseal_generation()) {
      s.inner = s.sealed ? glue.Keyring.unsealWithKey(s.sealed, s.key) : new glue.Keyring();
      s.generation = glue.__mailseal_generation();
    }
    return s.inner;
  }

  /** After a change: the keyring sealed again, for a restart. */
  function keep(s) {
    // never a copy of what a stopped instance holds: it may be half changed
    if (stopped || s.generation !== glue.__mailseal_generation()) return;
    s.key ??= crypto.getRandomValues(new Uint8Array(32));
    try {
      s.sealed = s.inner.sealWithKey(s.key);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    }
  }

  class Keyring {
    constructor(...args) {
      const wrapped = args[0] === WRAP || args[0] === WRAP_AS;
      const inner = wrapped ? args[1] : sync(() => new glue.Keyring(...args));
      const [sealed, key] = args[0] === WRAP_AS ? args.slice(2) : [null, null];
      states.set(this, { inner, generation: glue.__mailseal_generation(), sealed, key });
      if (args[0] === WRAP) keep(states.get(this));
    }

    static unseal(...args) {
      return new Keyring(WRAP, sync(() => glue.Keyring.unseal(...readArguments(args))));
    }

    static unsealWithKey(...args) {
      const inner = sync(() => glue.Keyring.unsealWithKey(...args));
      const [sealed, key] = args;
      if (!ArrayBuffer.isView(sealed) || !ArrayBuffer.isView(key)) return new Keyring(WRAP, inner);
      // what it was opened from is its copy: no sealing again (a Worker's cold start)
      const ring = new Keyring(WRAP_AS, inner, new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength).slice(), new Uint8Array(key.buffer, key.byteOffset, key.byteLength).slice());
      return ring;
    }

    /** Frees the keyring's memory now (it is also freed when garbage-collected). */
    free() {
      const s = states.get(this);
      if (!s) return;
      states.delete(this);
      if (s.generation === glue.__mailseal_generation() && !stopped) s.inner.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  for (const name of Object.getOwnPropertyNames(glue.Keyring.prototype)) {
    if (HIDDEN.has(name) || name in Keyring.prototype) continue;
    const reads = READS.has(name);
    Object.defineProperty(Keyring.prototype, name, {
      value: function (...args) {
        const s = state(this);
        try {
          // Another Keyring as an argument (teamCreate's team keyring) goes in as its glue
          // keyring; a glue keyring in the result (teamOpen's) comes out as a Keyring.
          const glueArgs = readArguments(args).map((a) => (states.has(a) ? current(a) : a));
          const out = sync(() => current(this)[name](...glueArgs));
          if (out && typeof out === "object" && out.keyring instanceof glue.Keyring) out.keyring = new Keyring(WRAP, out.keyring);
          return out;
        } finally {
          if (!reads) keep(s);
        }
      },
      writable: true,
      configurable: true,
    });
  }

  /** The glue keyring in an argument list (the first argument of open / protect). Their
   * audit events join the log at the keyring's next changing call, which seals it again. */
  const unwrap = (args) => [current(args[0]), ...args.slice(1)];

  const api = { Keyring };
  for (const [name, value] of Object.entries(glue)) {
    if (typeof value !== "function" || name === "Keyring" || name.startsWith("__mailseal_") || name === "default" || name === "initSync") continue;
    if (name === "open" || name === "protect") {
      api[name] = (...args) => async(() => glue[name](...unwrap(readArguments(args))));
    } else if (name === "usePlatformCrypto") {
      api[name] = (on) => {
        const result = sync(() => glue.usePlatformCrypto(on));
        platform = on;
        return result;
      };
    } else if (name === "__forceTrapForTests") {
      api[name] = (later) => (later ? async(() => glue[name](true)) : sync(() => glue[name](false)));
    } else {
      api[name] = (...args) => sync(() => glue[name](...readArguments(args)));
    }
  }
  return api;
}
