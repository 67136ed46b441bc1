// A throwaway CA made by openssl (the machine's clock: `req -x509` dates from it) that issues
// one e-mail certificate with a CRL distribution point, then revokes it and publishes its CRL.
// Used by tests/js/revocation.test.mjs and worker/test/revocation.test.mjs; openCa also by
// ocsp-ca.mjs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A new `openssl ca` directory under the system temp dir: an empty index, `serial`, and ca.cnf
 * (the CA's own profile v3_ca last, so `extraCnf` may add to it before its own sections).
 * `openssl(...args)` runs in it, `ca` are the arguments of `openssl ca` signing with ca.crt,
 * `selfSign(cn)` writes ca.crt and ca.key (RSA-2048, 30 days from the machine's clock).
 */
export function openCa(prefix, serial, extraCnf) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const openssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), `${serial}\n`);
  writeFileSync(
    join(dir, "ca.cnf"),
    "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n" +
      "default_md = sha256\npolicy = p\nunique_subject = no\ndefault_days = 30\ndefault_crl_days = 7\n" +
      "[p]\ncommonName = supplied\n[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = x\n" +
      "[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n" +
      extraCnf,
  );
  const ca = ["-config", "ca.cnf", "-batch", "-cert", "ca.crt", "-keyfile", "ca.key"];
  const selfSign = (cn) =>
    openssl("req", "-x509", "-config", "ca.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", `/CN=${cn}`, "-days", "30", "-extensions", "v3_ca", "-out", "ca.crt");
  return { dir, openssl, ca, selfSign };
}

/**
 * @param {{ email: string, url: string }} leaf the certificate's address and CRL URL
 * @returns {{ ca: Buffer, cert: Buffer, key: Buffer, crl: Buffer }} PEM files
 */
export function makeRevokingCa({ email, url }) {
  const { dir, openssl, ca, selfSign } = openCa(
    "mailseal-crl-",
    1000,
    "[leaf]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n" +
      `extendedKeyUsage = emailProtection\nsubjectAltName = email:${email}\ncrlDistributionPoints = URI:${url}\n`,
  );
  try {
    selfSign("JS Test CA");
    openssl("req", "-new", "-config", "ca.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-subj", "/CN=leaf", "-out", "leaf.csr");
    openssl("ca", ...ca, "-extensions", "leaf", "-in", "leaf.csr", "-out", "leaf.crt");
    openssl("ca", ...ca, "-revoke", "leaf.crt", "-crl_reason", "keyCompromise");
    openssl("ca", ...ca, "-gencrl", "-out", "ca.crl");
    const read = (f) => readFileSync(join(dir, f));
    return { ca: read("ca.crt"), cert: read("leaf.crt"), key: read("leaf.key"), crl: read("ca.crl") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
