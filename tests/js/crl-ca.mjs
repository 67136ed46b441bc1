// A throwaway CA made by openssl (the machine's clock: `req -x509` dates from it) that issues
// one e-mail certificate with a CRL distribution point, then revokes it and publishes its CRL.
// Used by tests/js/revocation.test.mjs and worker/test/revocation.test.mjs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * @param {{ email: string, url: string }} leaf the certificate's address and CRL URL
 * @returns {{ ca: Buffer, cert: Buffer, key: Buffer, crl: Buffer }} PEM files
 */
export function makeRevokingCa({ email, url }) {
  const dir = mkdtempSync(join(tmpdir(), "mailseal-crl-"));
  const openssl = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    writeFileSync(join(dir, "index.txt"), "");
    writeFileSync(join(dir, "serial"), "1000\n");
    writeFileSync(
      join(dir, "ca.cnf"),
      "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n" +
        "default_md = sha256\npolicy = p\nunique_subject = no\ndefault_days = 30\ndefault_crl_days = 7\n" +
        "[p]\ncommonName = supplied\n[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = x\n" +
        "[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n" +
        "[leaf]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n" +
        `extendedKeyUsage = emailProtection\nsubjectAltName = email:${email}\ncrlDistributionPoints = URI:${url}\n`,
    );
    const ca = ["-config", "ca.cnf", "-batch", "-cert", "ca.crt", "-keyfile", "ca.key"];
    openssl("req", "-x509", "-config", "ca.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=JS Test CA", "-days", "30", "-extensions", "v3_ca", "-out", "ca.crt");
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
