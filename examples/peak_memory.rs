//! Peak memory of `protect` and `open` with a 10 MiB attachment, natively: the live heap, and
//! the growth of an emulated wasm linear memory (dlmalloc, as in the wasm build, over a region
//! that only grows), which is what benches/memory.mjs measures in Node. Issue 12's target is
//! at most 3x. Profile tool, not a test (the RustCrypto provider: in Node and browsers the
//! bulk crypto's buffers are the platform's):
//!
//!   cargo run --release --example peak_memory [smime|openpgp] [MiB] [protect|open]
//!
//! `protect` stops after protecting and keeps the message in target/; `open` opens that message
//! in a fresh process (as benches/memory.mjs does; also for a heap profiler's peak: heaptrack).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use mailseal::mime::{Draft, DraftAttachment};
use mailseal::{
    open_owned, protect, ImportOptions, Keyring, Message, OpenOptions, ProtectOptions, Time,
};
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// dlmalloc over one region that only grows, as in wasm32 (`memory.grow`, never returned):
/// what benches/memory.mjs reads as the module's linear memory, fragmentation included. Live
/// bytes and their peak are counted too (the heap without fragmentation).
struct Linear;

/// The emulated linear memory: reserved once (untouched pages cost nothing), handed to
/// dlmalloc 64 KiB pages at a time.
struct Region;

const PAGE: usize = 64 * 1024;
const RESERVED: usize = 4 << 30;
static BASE: AtomicUsize = AtomicUsize::new(0);
static GROWN: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl dlmalloc::Allocator for Region {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        if BASE.load(Ordering::Relaxed) == 0 {
            let layout = Layout::from_size_align(RESERVED, PAGE).expect("layout");
            BASE.store(unsafe { System.alloc(layout) } as usize, Ordering::Relaxed);
        }
        let size = size.div_ceil(PAGE) * PAGE;
        trace_growth(size);
        let at = GROWN.fetch_add(size, Ordering::Relaxed);
        assert!(at + size <= RESERVED, "emulated wasm memory exhausted");
        ((BASE.load(Ordering::Relaxed) + at) as *mut u8, size, 0)
    }
    fn remap(&self, _: *mut u8, _: usize, _: usize, _: bool) -> *mut u8 {
        std::ptr::null_mut()
    }
    fn free_part(&self, _: *mut u8, _: usize, _: usize) -> bool {
        false
    }
    fn free(&self, _: *mut u8, _: usize) -> bool {
        false
    }
    fn can_release_part(&self, _: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        false
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

/// PEAK_MEMORY_TRACE, read once in `main` (reading it in the allocator would allocate).
static TRACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

thread_local! {
    /// Set while a growth is traced: the backtrace's own allocations go to the system.
    static TRACING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// With PEAK_MEMORY_TRACE set, where each growth of the emulated memory came from (mailseal's
/// frames; build with CARGO_PROFILE_RELEASE_DEBUG=line-tables-only for file:line).
fn trace_growth(size: usize) {
    if !TRACE.load(Ordering::Relaxed) || TRACING.get() {
        return;
    }
    TRACING.set(true);
    let trace = std::backtrace::Backtrace::force_capture().to_string();
    let ours: Vec<&str> = trace
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("at ./src/") || l.starts_with("at /work/main/src/"))
        .take(6)
        .collect();
    eprintln!("grow +{:.1} MiB: {}", size as f64 / MIB, ours.join(" < "));
    TRACING.set(false);
}

fn in_region(ptr: *mut u8) -> bool {
    let base = BASE.load(Ordering::Relaxed);
    (base..base + RESERVED).contains(&(ptr as usize))
}

static HEAP: Mutex<dlmalloc::Dlmalloc<Region>> =
    Mutex::new(dlmalloc::Dlmalloc::new_with_allocator(Region));

fn heap() -> std::sync::MutexGuard<'static, dlmalloc::Dlmalloc<Region>> {
    HEAP.lock().unwrap_or_else(|e| e.into_inner())
}

unsafe impl GlobalAlloc for Linear {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if TRACING.get() {
            return unsafe { System.alloc(layout) };
        }
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { heap().malloc(layout.size(), layout.align()) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !in_region(ptr) {
            return unsafe { System.dealloc(ptr, layout) };
        }
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { heap().free(ptr, layout.size(), layout.align()) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !in_region(ptr) {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        let moved = unsafe { heap().realloc(ptr, layout.size(), layout.align(), new_size) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Linear = Linear;

const MIB: f64 = 1024.0 * 1024.0;
const NOW: Time = Time::from_unix(1_796_083_200);

/// Runs `f` and prints the peak of live heap above what was live before it and how much the
/// emulated wasm memory grew, against `size`.
fn measure<T>(what: &str, size: usize, f: impl FnOnce() -> T) -> T {
    let base = LIVE.load(Ordering::Relaxed);
    let grown = GROWN.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let growth = GROWN.load(Ordering::Relaxed) - grown;
    let ratio = |b: usize| b as f64 / size as f64;
    println!(
        "{what:<26} live peak {:>6.1} MiB ({:.1}x), wasm memory +{:>6.1} MiB ({:.1}x)",
        peak as f64 / MIB,
        ratio(peak),
        growth as f64 / MIB,
        ratio(growth)
    );
    out
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

fn main() {
    TRACE.store(
        std::env::var_os("PEAK_MEMORY_TRACE").is_some(),
        Ordering::Relaxed,
    );
    let args: Vec<String> = std::env::args().collect();
    let method = args.get(1).map_or("smime", String::as_str);
    let mib: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let (files, from): (&[(&str, bool)], &str) = if method == "smime" {
        (
            &[
                ("smime/root-ca.crt", true),
                ("smime/int-ca.crt", false),
                ("smime/alice.crt", false),
                ("smime/alice.key", false),
            ],
            "alice@example.com",
        )
    } else {
        (&[("openpgp/alice.sec.asc", true)], "alice@example.org")
    };
    let mut ring = Keyring::new();
    for (file, trusted) in files {
        let opts = ImportOptions {
            trusted: *trusted,
            ..ImportOptions::default()
        };
        ring.import(&fixture(file), &opts, NOW).expect("import");
    }
    let engines = mailseal::standards::all();
    let size = mib << 20;
    // Open in a process of its own (its memory starts fresh, as in benches/memory.mjs): the
    // message is the one the protect run left.
    let saved = format!(
        "{}/target/peak_memory-{method}.eml",
        env!("CARGO_MANIFEST_DIR")
    );
    let mime = if args.get(3).is_some_and(|a| a == "open") {
        std::fs::read(&saved).expect("run with `protect` first")
    } else {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let mut data = vec![0u8; size];
        rng.fill_bytes(&mut data);
        let draft = Draft {
            from: from.to_string(),
            to: vec![from.to_string()],
            subject: "big".to_string(),
            attachments: vec![DraftAttachment {
                filename: "p.bin".to_string(),
                content_type: "application/octet-stream".to_string(),
                data,
            }],
            ..Draft::default()
        };
        let opts = ProtectOptions::new(true, true, NOW);
        let mime = measure("protect (sign + encrypt)", size, || {
            let protected = protect(&mut ring, &engines, Message::Draft(&draft), &opts, &mut rng)
                .expect("protect");
            protected.deliveries.into_iter().next().expect("one").mime
        });
        println!("message {:.1} MiB", mime.len() as f64 / MIB);
        std::fs::write(&saved, &mime).expect("write the message");
        mime
    };
    if args.get(3).is_some_and(|a| a == "protect") {
        return;
    }
    // Handed over as the wasm boundary hands it (a copy made in the call, counted as in Node).
    let opened = measure("open (decrypt + verify)", size, || {
        open_owned(&mut ring, &engines, mime.clone(), &OpenOptions::at(NOW)).expect("open")
    });
    println!(
        "opened: {:?} / {:?}, attachment {} bytes",
        opened.encryption.state,
        opened.signature.state,
        opened.attachments.first().map_or(0, |a| a.data.len())
    );
}
