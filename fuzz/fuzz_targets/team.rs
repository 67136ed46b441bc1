//! Team bundles (src/team): the JSON, the chain of signed changes, the wraps and the sealed
//! team keyring, opened by a member of the seed team. With `MAILSEAL_FUZZ_SEEDS=DIR` it only
//! writes its seeds (a team of two after a rotation) into DIR and exits (scripts/fuzz.sh).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mailseal::{Keyring, TeamRotation};
use mailseal_fuzz::{bob_ring, NOW};

/// A member (Bob's keyring with a member key) and the bundles of its team.
fn team() -> &'static (Keyring, Vec<Vec<u8>>) {
    static TEAM: OnceLock<(Keyring, Vec<Vec<u8>>)> = OnceLock::new();
    TEAM.get_or_init(|| {
        let mut rng = mailseal::os_rng();
        let mut bob = bob_ring();
        bob.member_key("Bob", &mut rng, NOW).expect("member key");
        let mut alice = Keyring::new();
        let alice_key = alice
            .member_key("Alice", &mut rng, NOW)
            .expect("member key");
        let b0 = bob
            .team_create("support@example.org", &bob_ring(), &mut rng, NOW)
            .expect("team");
        let b1 = bob
            .team_add_member(&b0, &alice_key, &mut rng, NOW)
            .expect("add");
        let b2 = bob
            .team_rotate(&b1, &TeamRotation::default(), &mut rng, NOW)
            .expect("rotate")
            .bundle;
        (bob, vec![b0, b1, b2])
    })
}

fuzz_target!(
    init: {
        if let Ok(dir) = std::env::var("MAILSEAL_FUZZ_SEEDS") {
            for (i, bundle) in team().1.iter().enumerate() {
                std::fs::write(format!("{dir}/team-{i}.json"), bundle).expect("write a seed");
            }
            std::process::exit(0);
        }
    },
    |data: &[u8]| {
        let mut member = team().0.clone();
        if let Ok(opened) = member.team_open(data, NOW) {
            let _ = opened.identity.list(NOW);
        }
    }
);
