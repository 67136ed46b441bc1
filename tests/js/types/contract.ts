// Compile-only check that the published .d.ts offers the JS contract to TypeScript users.
// `make test-types` runs tsc on this file; nothing here is executed.
import init, { Keyring, deliveriesMultipart, headerLine, initSync, isMailsealError, normalizeAddress, open, parseAddress, protect, version } from "mailseal";
import type { Capabilities, Draft, ErrorCode, Opened, Outcome, ParsedAddress, PlannedCopy, Policy, Preview, Protected, Readiness, Warning, WarningCode } from "mailseal";

export async function contract(bytes: Uint8Array, password: string): Promise<void> {
  await init();
  void initSync;
  const v: string = version();
  void v;

  const ring = new Keyring();
  const infos = ring.import(bytes, { passphrase: "pass", trusted: true, now: new Date() });
  ring.import("-----BEGIN CERTIFICATE-----\n");
  ring.list();
  ring.list({ now: new Date() });
  void infos;
  ring.get("ABCDEF");
  const removed: boolean = ring.remove("ABCDEF");
  const pub: string = ring.exportPublic("ABCDEF");
  const sec: Uint8Array = ring.exportSecret("ABCDEF", "passphrase");
  const sealed: Uint8Array = ring.seal(password);
  const back: Keyring = Keyring.unseal(sealed, password);
  const vaultKey = new Uint8Array(32);
  const keyed: Uint8Array = ring.sealWithKey(vaultKey);
  const server: Keyring = Keyring.unsealWithKey(keyed, vaultKey);
  void server;
  void removed;
  void pub;
  void sec;
  void back;

  const policy: Policy = { methodPriority: ["smime", "pgp"], fallback: "problem_report", smimeCipher: "aes256-gcm" };
  const strict: Policy = { minRsaBits: 3072, weakHashes: ["md5", "sha1", "ripemd160", "sha224"] };
  void strict;
  const draft: Draft = { from: "desk@example.com", to: ["a@example.com"], subject: "s", text: "t",
    attachments: [{ filename: "f.txt", contentType: "text/plain", data: new Uint8Array(1) }] };
  // protect and open are async: Promises of the results.
  const pending: Promise<Protected> = protect(ring, draft, { sign: true, encrypt: true, method: "auto", policy, now: new Date() });
  const out: Protected = await pending;
  await protect(ring, "From: a@example.com\r\n\r\nhi", { sign: true, encrypt: false });
  const mime: Uint8Array = out.deliveries[0].mime;
  const opened: Opened = await open(ring, mime, { now: new Date() });
  const state: "none" | "decrypted" | "no_key" | "failed" = opened.encryption.state;
  const scope: "whole" | "partial" | undefined = opened.signature.scope;
  const quote: string = opened.quoteForReply;
  const caps: Capabilities = ring.capabilities({ from: "desk@example.com", to: "a@example.com" }, { policy });
  const canEncrypt: boolean = caps.canEncrypt;
  void state;
  void scope;
  void quote;
  void canEncrypt;
  const ready: Readiness = ring.check({ addresses: ["desk@example.com"] }, { now: new Date() });
  void ready.expiring;
  const preview: Preview = ring.preview({ from: "desk@example.com", to: ["a@example.com"] }, { sign: true, encrypt: true, policy, group: "Security" });
  const outcome: Outcome = preview.outcome;
  const shortfall: string[] = preview.shortfall;
  const blockedCode: ErrorCode | undefined = preview.blocked?.code;
  const copies: PlannedCopy[] = preview.deliveries;
  const toggle: boolean = preview.encrypt.possible && preview.sign.possible;
  void [outcome, shortfall, blockedCode, copies, toggle];
  await protect(ring, bytes, { sign: true, encrypt: false, group: "Security", confirmDowngrade: true });

  // Warnings carry a code to match and a message to show.
  const warnings: Warning[] = opened.warnings.concat(out.warnings, preview.warnings);
  const codes: WarningCode[] = warnings.map((w) => w.code);
  const said: string[] = warnings.map((w) => w.message);
  const unchecked: boolean = codes.includes("revocation_unchecked");
  void [said, unchecked];

  // A relay: the report as header fields, a copy with them, the copies as one multipart body.
  const fields: [string, string][] = opened.reportHeaders;
  const forwarded = new Headers(fields.map(([name, value]): [string, string] => [name, headerLine(name, value)]));
  const copy: Draft = { from: "desk@example.com", to: "inbox@example.com", replyTo: "a@example.com", extraHeaders: fields };
  await protect(ring, copy, { sign: false, encrypt: false });
  const answer: { contentType: string; body: Uint8Array } = deliveriesMultipart(out.deliveries);
  void [forwarded, answer];
}

// Addresses: one rule in the library, a key to compare by and the parts.
export function sameDomain(a: string, b: string): boolean {
  const key: string = normalizeAddress(a);
  const parsed: ParsedAddress = parseAddress(b);
  const lookup: boolean = parsed.lookup;
  void [key, lookup, parsed.address, parsed.local, parsed.key];
  return parseAddress(a).domain === parsed.domain;
}

// Errors: the guard narrows `unknown` to MailsealError, whose `code` is the ErrorCode union.
export function describeError(e: unknown): string {
  if (isMailsealError(e)) {
    const code: ErrorCode = e.code;
    switch (code) {
      case "bad_passphrase":
        return "wrong passphrase";
      case "recipient_key_missing":
        return "no key for a recipient";
      default:
        return `${code}: ${e.message}`;
    }
  }
  return "not a mailseal error";
}

// The one-standard builds ("mailseal/smime", "mailseal/openpgp") have the same types.
import smimeInit, { Keyring as SmimeKeyring, open as smimeOpen, standards as smimeStandards } from "mailseal/smime";
import openpgpInit, { Keyring as OpenpgpKeyring, protect as openpgpProtect } from "mailseal/openpgp";
import type { Method, MethodCapabilities } from "mailseal/smime";

export async function oneStandard(raw: Uint8Array): Promise<boolean> {
  await smimeInit();
  await openpgpInit();
  const has: Method[] = smimeStandards();
  const ring = new SmimeKeyring();
  const opened: Opened = await smimeOpen(ring, raw);
  const caps: MethodCapabilities[] = ring.capabilities({ from: "desk@example.com", to: "a@example.com" }).methods;
  const available: boolean = caps.every((m) => m.available);
  const pgpRing: Keyring = new OpenpgpKeyring();
  const out: Protected = await openpgpProtect(pgpRing, raw, { sign: true, encrypt: false, method: "pgp" });
  void out;
  void opened;
  try {
    ring.import(raw);
  } catch (e) {
    if (isMailsealError(e) && e.code === "standard_not_enabled") return false;
  }
  return has.includes("smime") && available;
}
