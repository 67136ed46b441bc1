// Teams: the Worker as a member (docs/team.md).
//
// With TEAM_BUNDLE (base64 of a team bundle) or TEAM_BUNDLE_KV_KEY (the bundle's key in
// KEYRING_KV), mail to the team's address that the Worker's own keys cannot decrypt is opened
// with the team's keyring, if the Worker's member key (its keyring's, GET /v1/member) is one of
// the team's members. The team is opened once per isolate and bundle (its chain checked, rollback
// refused against what this isolate's keyring saw, the team key unwrapped); a bundle the Worker
// is not a member of (never added, or removed) is logged as `team_not_a_member` and nothing is
// decrypted with it. A refusal is remembered per bundle, as a failed unseal is.
//
// TEAM_PIN (a secret: the team's `pin`, which every member's teamOpen shows) names the team the
// Worker was added to. A new isolate keeps no checkpoint of the team, so without the pin it
// takes any well-formed bundle of the address in which it is a member, including one that
// someone who can write the bundle (KV, the deploy) made themselves, with keys and trust of
// their choosing. With it, such a bundle is refused (`team_refused`). Unpinned teams are
// opened, logged as `team_unpinned` and shown as `pinned: false` in /v1/health.
import { Keyring } from "mailseal";
import { base64 } from "./base64.mjs";
import { HttpError, json } from "./http.mjs";
import { keyringDigest, keyringSecret, sealedKeyring } from "./keyring.mjs";
import { openChecked } from "./revocation.mjs";

/** @typedef {import("./config.mjs").Env} Env */
/** @typedef {import("./config.mjs").Config} Config */
/** @typedef {import("mailseal").OpenedTeam} Team */

/** @type {{ digest: string, team?: Team, code?: string } | null} */
let teamCached = null; // { digest, team } or { digest, code }

/** @param {Env} env */
async function teamBundle(env) {
  if (env.TEAM_BUNDLE_KV_KEY && env.KEYRING_KV) {
    const value = await env.KEYRING_KV.get(env.TEAM_BUNDLE_KV_KEY, "arrayBuffer");
    if (value) return new Uint8Array(value);
  }
  if (env.TEAM_BUNDLE) {
    try {
      return base64.decode(String(env.TEAM_BUNDLE).trim());
    } catch {
      throw new HttpError(500, "config", "TEAM_BUNDLE is not base64.");
    }
  }
  return null;
}

/**
 * The opened team ({ address, members, changes, keyring }) or null: none configured, or refused.
 * @param {Env} env
 * @param {Keyring} ring
 * @returns {Promise<Team | null>}
 */
export async function team(env, ring) {
  const bundle = await teamBundle(env);
  if (!bundle) return null;
  const digest = `${keyringDigest()}:${base64.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", bundle)))}`;
  if (teamCached?.digest === digest) return teamCached.team ?? null;
  teamCached?.team?.keyring?.free?.();
  try {
    const pin = String(env.TEAM_PIN ?? "").trim();
    const opened = ring.teamOpen(bundle, pin ? { pin } : undefined);
    if (!pin) console.log(JSON.stringify({ event: "team_unpinned", address: opened.address }));
    // The team's keyring holds the team's keys only: give it the Worker's public keys and their
    // trust (anchors, verified OpenPGP keys), so a signature on team mail is judged as on any other.
    for (const k of ring.list()) {
      try {
        opened.keyring.import(ring.exportPublic(k.id), { trusted: k.trust === "anchor" || k.trust === "verified" });
      } catch {
        // A key the team's keyring will not take (already there, unsupported): skip it.
      }
    }
    teamCached = { digest, team: opened };
    const last = opened.changes.at(-1);
    console.log(JSON.stringify({ event: "team_opened", address: opened.address, members: opened.members.length, change: last?.seq, kind: last?.kind, pinned: Boolean(pin) }));
    return opened;
  } catch (e) {
    const code = e?.code ?? "internal";
    teamCached = { digest, code };
    // not_a_member: the Worker was never added, or was removed: it does not decrypt team mail.
    console.log(JSON.stringify({ event: code === "not_a_member" ? "team_not_a_member" : "team_refused", code }));
    return null;
  }
}

/**
 * The team for /v1/health's details: `t` (what `team` returned) as the member sees it, the
 * refusal's code when it was refused, or undefined when no team was ever opened here.
 * @param {Team | null} t
 * @param {Env} env
 */
export function teamHealth(t, env) {
  const pinned = Boolean(String(env?.TEAM_PIN ?? "").trim());
  return teamCached && (t ? { address: t.address, member: true, members: t.members.map((m) => m.name), change: t.changes.at(-1)?.seq, pinned } : { member: false, error: teamCached.code, pinned });
}

/**
 * `openChecked` with the Worker's keys, then, when they hold no key for the message, the team's.
 * @param {Env} env
 * @param {Keyring} ring
 * @param {Uint8Array} raw
 * @param {Config} cfg
 * @returns {Promise<{ opened: import("mailseal").Opened, ring: Keyring, team?: string }>}
 */
export async function openWithTeam(env, ring, raw, cfg) {
  const opened = await openChecked(ring, raw, cfg);
  if (opened.encryption.state !== "no_key") return { opened, ring };
  const t = await team(env, ring);
  if (!t) return { opened, ring };
  const again = await openChecked(t.keyring, raw, cfg);
  if (again.encryption.state === "no_key") return { opened, ring };
  return { opened: again, ring: t.keyring, team: t.address };
}

/**
 * GET /v1/member (API token): the Worker's member key `{ id, name, wrap }`, for a team member to
 * add (the name is MEMBER_NAME, default "Worker"). The key is made on first use inside the
 * keyring, so it must be sealed with it: with the keyring in KEYRING_KV and KEYRING_KEY the
 * Worker seals it again and writes it back (once); otherwise a new member key is refused
 * (409 member_key_not_sealed): make it with the package before sealing (README).
 * @param {Env} env
 */
export async function handleMember(env) {
  const name = String(env.MEMBER_NAME ?? "").trim() || "Worker";
  const secret = keyringSecret(env);
  const sealed = await sealedKeyring(env);
  // A fresh copy: the cached keyring holds what this isolate learned (CRLs, found keys), which
  // is not written back.
  const unseal = () => (secret.key ? Keyring.unsealWithKey(sealed, secret.key) : Keyring.unseal(sealed, secret.password));
  const ring = unseal();
  const other = unseal();
  try {
    const member = ring.memberKey(name);
    // Two copies of the sealed keyring agree on the member key only if it was sealed in it.
    const sealedIn = other.memberKey(name).id === member.id;
    const kvKey = env.KEYRING_KV_KEY || "keyring";
    const fromKv = env.KEYRING_KV && (await env.KEYRING_KV.get(kvKey, "arrayBuffer"));
    if (!sealedIn) {
      if (!fromKv || !secret.key) {
        throw new HttpError(409, "member_key_not_sealed", "This keyring has no member key yet, and the Worker cannot seal one into it (it needs the keyring in KEYRING_KV and KEYRING_KEY). Make it with the package before sealing: ring.memberKey(\"Worker\").");
      }
      await env.KEYRING_KV.put(kvKey, ring.sealWithKey(secret.key));
      console.log(JSON.stringify({ event: "member_key_sealed", id: member.id }));
    }
    return json(200, member);
  } finally {
    ring.free();
    other.free();
  }
}
