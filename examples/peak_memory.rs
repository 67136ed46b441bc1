//! Peak heap of `protect` and `open` with a 10 MiB attachment, natively, per stage: what
//! benches/memory.mjs measures as wasm linear memory, without the allocator's fragmentation.
//! Issue 12's target is at most 3x the message. Profile tool, not a test:
//!
//!   cargo run --release --example peak_memory [smime|openpgp] [MiB] [protect]
//!
//! With `protect` it stops after protecting (for a heap profiler's peak: heaptrack, massif).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use mailseal::mime::{Draft, DraftAttachment};
use mailseal::{open, protect, ImportOptions, Keyring, Message, OpenOptions, ProtectOptions, Time};
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The system allocator, counting the bytes live now and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A realloc may move: old and new are both live for a moment.
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: f64 = 1024.0 * 1024.0;
const NOW: Time = Time::from_unix(1_796_083_200);

/// Runs `f` and prints the peak of live heap above what was live before it, against `size`.
fn measure<T>(what: &str, size: usize, f: impl FnOnce() -> T) -> T {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!(
        "{what:<28} peak {:>7.1} MiB ({:.1}x the payload)",
        peak as f64 / MIB,
        peak as f64 / size as f64
    );
    out
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

fn main() {
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
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    let size = mib << 20;
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
    let engines = mailseal::engine::all();
    let mime = measure("protect (sign + encrypt)", size, || {
        let protected =
            protect(&mut ring, &engines, Message::Draft(&draft), &opts, &mut rng).expect("protect");
        protected.deliveries.into_iter().next().expect("one").mime
    });
    println!("message {:.1} MiB", mime.len() as f64 / MIB);
    drop(draft);
    if args.get(3).is_some_and(|a| a == "protect") {
        return;
    }
    let opened = measure("open (decrypt + verify)", size, || {
        open(&mut ring, &engines, &mime, &OpenOptions::at(NOW)).expect("open")
    });
    println!(
        "opened: {:?} / {:?}, attachment {} bytes",
        opened.encryption.state,
        opened.signature.state,
        opened.attachments.first().map_or(0, |a| a.data.len())
    );
}
