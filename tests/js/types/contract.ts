// Compile-only check that the published .d.ts offers the JS contract to TypeScript users.
// `make test-types` runs tsc on this file; nothing here is executed.
import init, { Keyring, initSync, version } from "mailseal";

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
  void removed;
  void pub;
  void sec;
  void back;
}
