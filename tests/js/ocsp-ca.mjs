// A throwaway CA made by `openssl ca` at test time (the machine's clock) for OCSP and CRL tests,
// with a delegated OCSP responder certificate (extendedKeyUsage OCSPSigning), people whose
// certificates name the responder (authorityInfoAccess OCSP) or only a CRL distribution point,
// some revoked in the CA's index, its CRL, messages signed by openssl cms, and openssl's own
// responder (`openssl ocsp -index ... -port PORT`) run on loopback.
// Used by tests/js/ocsp.test.mjs, worker/test/ocsp.test.mjs and tests/browser/ocsp.test.mjs.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { openCa } from "./crl-ca.mjs";

/** A TCP port nobody listens on right now (bound and released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ ocspUrl?: string, crlUrl?: string, caName?: string,
 *           people: { name: string, email: string, ocsp?: boolean, ocspUrl?: string, crl?: boolean, revoked?: boolean }[] }} opts
 *   `ocsp`: the certificate names its `ocspUrl` or the common one (AIA); `crl`: it names `crlUrl` (CDP).
 * @returns the PKI: `file(name)` paths in its directory, `read(name)` bytes, `ca` (PEM),
 *   `cert(name)` / `key(name)` (PEM), `crlDer`, `signed(name, ...)`, `cleanup()`.
 */
export function makeOcspPki({ ocspUrl, crlUrl, people, caName = "OCSP Test CA" }) {
  const leaf = (p) =>
    `[leaf_${p.name}]\nbasicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\n` +
    `extendedKeyUsage = emailProtection\nsubjectAltName = email:${p.email}\n` +
    (p.ocsp ? `authorityInfoAccess = OCSP;URI:${p.ocspUrl ?? ocspUrl}\n` : "") +
    (p.crl ? `crlDistributionPoints = URI:${crlUrl}\n` : "");
  const { dir, openssl, ca, selfSign } = openCa(
    "mailseal-ocsp-",
    2000,
    "subjectKeyIdentifier = hash\n" +
      "[responder]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = OCSPSigning\n" +
      people.map(leaf).join(""),
  );
  const issue = (name, cn, ext) => {
    openssl("req", "-new", "-config", "ca.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-subj", `/CN=${cn}`, "-out", `${name}.csr`);
    openssl("ca", ...ca, "-extensions", ext, "-in", `${name}.csr`, "-out", `${name}.crt`);
  };
  try {
    selfSign(caName);
    issue("responder", "OCSP Test Responder", "responder");
    for (const p of people) issue(p.name, p.name, `leaf_${p.name}`);
    for (const p of people) if (p.revoked) openssl("ca", ...ca, "-revoke", `${p.name}.crt`, "-crl_reason", "keyCompromise");
    openssl("ca", ...ca, "-gencrl", "-out", "ca.crl");
    openssl("crl", "-in", "ca.crl", "-outform", "DER", "-out", "ca.crl.der");
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl: ${e.stderr?.toString() ?? e.message}`);
  }
  const file = (f) => join(dir, f);
  const read = (f) => readFileSync(file(f));
  return {
    dir,
    file,
    read,
    ca: read("ca.crt"),
    cert: (name) => read(`${name}.crt`),
    key: (name) => read(`${name}.key`),
    crlDer: read("ca.crl.der"),
    /** A message signed by `name` with `openssl cms -sign -text` (multipart/signed, headers from -from/-to/-subject). */
    signed(name, { from, to, subject = "Status of your ticket", text = "Hello from the customer.\n" }) {
      writeFileSync(file("text.txt"), text);
      return execFileSync(
        "openssl",
        ["cms", "-sign", "-text", "-in", "text.txt", "-signer", `${name}.crt`, "-inkey", `${name}.key`, "-from", from, "-to", to, "-subject", subject],
        { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
      );
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * openssl's OCSP responder for `pki` on 127.0.0.1:`port` (answers GET and POST, signed by the
 * delegated responder, valid for 60 minutes). Resolves once it listens.
 * @returns {Promise<{ port: number, log: string[], stop: () => Promise<void> }>}
 */
export async function startResponder(pki, port) {
  const child = spawn(
    "openssl",
    ["ocsp", "-index", "index.txt", "-CA", "ca.crt", "-rsigner", "responder.crt", "-rkey", "responder.key", "-port", String(port), "-nmin", "60"],
    { cwd: pki.dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = [];
  child.stdout.on("data", (b) => log.push(b.toString()));
  child.stderr.on("data", (b) => log.push(b.toString()));
  let exited = null;
  child.on("exit", (code) => (exited = code ?? "signal"));
  const stop = () =>
    new Promise((resolve) => {
      if (exited !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  // Ready once it says so (a probing connection would hold up this one-at-a-time server).
  for (let i = 0; i < 200; i++) {
    if (exited !== null) throw new Error(`openssl ocsp exited (${exited}): ${log.join("")}`);
    if (/waiting for OCSP client connections/.test(log.join(""))) return { port, log, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`openssl ocsp did not listen on ${port}: ${log.join("")}`);
}
