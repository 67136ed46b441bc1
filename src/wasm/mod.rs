//! The thin wasm-bindgen boundary. Only this folder names `wasm_bindgen` / `js_sys`.
//!
//! It converts JavaScript values to Rust types and back, reads the JavaScript clock when the
//! caller gives no `now`, and turns [`crate::Error`] into a thrown `Error` with a `code`.
//! No crypto or message logic lives here: `platform` only adapts the runtime's native crypto
//! to the core's crypto provider.
//!
//! The TypeScript declarations of what JavaScript gets back (`Opened`, `Protected`, `KeyInfo`,
//! ...) are derived from the Rust result types themselves (`derive(tsify::Tsify)` on wasm32,
//! declarations only: the values are still converted by `convert::to_js_value`). Only argument
//! shapes that are read by hand stay hand-written here.

mod address;
mod convert;
mod error;
mod keyring;
mod messages;
mod platform;
mod relay;
mod team;

use wasm_bindgen::prelude::*;

/// The mailseal version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::version().to_string()
}

/// The size of this module's WebAssembly memory in bytes. It grows as work needs it and never
/// shrinks (WebAssembly has no way to give memory back), so it is the peak so far: what to
/// watch against a Worker's 128 MB. SECURITY.md says what bounds it.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size::<0>() as f64) * 65536.0
}

/// Traps the module on purpose (`unreachable`), for the tests of the package's recovery from
/// traps (tests/js/trap.test.mjs, pkg/recover.mjs): a trap is always a bug, and the package
/// must survive one. With `later` it traps inside the returned Promise, as `open` would;
/// `Keyring.__forceTrapForTests()` traps while the keyring is borrowed. Not part of the API.
#[wasm_bindgen(js_name = __forceTrapForTests)]
pub fn force_trap_for_tests(later: bool) -> JsValue {
    if later {
        return wasm_bindgen_futures::future_to_promise(async {
            core::arch::wasm32::unreachable()
        })
        .into();
    }
    core::arch::wasm32::unreachable()
}

/// The standards this build includes: both in "mailseal", one in "mailseal/smime" and
/// "mailseal/openpgp" (the other one's keys are refused with `standard_not_enabled`).
#[wasm_bindgen(unchecked_return_type = "Method[]")]
pub fn standards() -> Vec<String> {
    crate::standards::ENABLED
        .iter()
        .map(|m| m.as_str().to_string())
        .collect()
}

/// Debug builds: report a panic on `console.error` with its message and place, once per module.
/// The library must not panic (release builds abort: `panic = "abort"`), so a panic is a bug and
/// the trace is what a bug report needs. Release builds keep no hook and no panic strings.
#[cfg(debug_assertions)]
pub(crate) fn debug_panic_hook() {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = error)]
        fn console_error(message: &str);
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!(
                "mailseal panicked (a bug, please report it): {info}"
            ));
        }));
    });
}

#[cfg(not(debug_assertions))]
pub(crate) fn debug_panic_hook() {}
