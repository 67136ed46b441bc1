// "Make a key" in the admin view (issue 16): a new key pair for one of the desk's addresses,
// made by the package in this page (the private key never leaves it; it is sealed with the
// keyring). OpenPGP (ring.generateOpenPgp): the key joins the keyring at once, with its public
// key to publish and a revocation certificate to keep offline, both offered for download now.
// S/MIME (ring.generateSmime): a certificate request (PKCS#10) for the CA; the key waits in
// ring.pendingKeys() until the CA's certificate is imported through the import box above.
import { renderAdmin } from "./admin.mjs";
import { fillComposerSelects, ownAddresses, updateToggles } from "./composer.mjs";
import { persist, state } from "./session.mjs";
import { $, busy, describeError, download, el } from "./ui.mjs";

const ALGORITHMS = {
  pgp: [["curve25519", "Curve25519 (Ed25519 / Cv25519)"], ["rsa3072", "RSA-3072"], ["rsa4096", "RSA-4096"]],
  smime: [["rsa3072", "RSA-3072"], ["p256", "P-256 (ECDSA, ECDH)"]],
};
const NAMES = { curve25519: "Curve25519", rsa3072: "RSA-3072", rsa4096: "RSA-4096", p256: "P-256" };
const RSA_NOTE = "RSA keys take several seconds to make in this page (RSA-4096 can take a minute), and the page does not respond meanwhile.";

const grouped = (id) => id.match(/.{1,4}/g).join(" ");
const standard = () => /** @type {"pgp" | "smime"} */ (/** @type {HTMLInputElement} */ (document.querySelector('input[name="gen-standard"]:checked')).value);

/** The algorithm choices of the standard picked, the RSA note, the validity (OpenPGP only). */
function drawChoices() {
  const select = $("gen-algorithm");
  const kind = standard();
  if (select.dataset.kind !== kind) {
    select.replaceChildren(...ALGORITHMS[kind].map(([value, text]) => el("option", { value, text })));
    select.dataset.kind = kind;
  }
  $("gen-rsa-note").textContent = select.value.startsWith("rsa") ? RSA_NOTE : "";
  $("gen-valid-label").hidden = kind !== "pgp";
  $("gen-v6-label").hidden = kind !== "pgp";
}

/** Called by renderAdmin: the address suggestions and the pending S/MIME keys. */
export function renderGenerate() {
  const own = ownAddresses();
  $("gen-addresses").replaceChildren(...own.map((a) => el("option", { value: a })));
  if (!$("gen-address").value && own.length) $("gen-address").value = own[0];
  drawChoices();
  const list = $("pending");
  const pending = state.ring.pendingKeys();
  list.replaceChildren(
    ...pending.map((p) =>
      el(
        "li",
        { dataset: { id: p.id } },
        `${p.address}: ${NAMES[p.algorithm] ?? p.algorithm}, requested ${p.created.slice(0, 10)} `,
        requestButton(p, `Download the certificate request for ${p.address}`),
      ),
    ),
  );
  if (!pending.length) list.append(el("li", { text: "None: no key is waiting for a certificate." }));
}

/** @param {import("mailseal").PendingKeyInfo} p */
function requestButton(p, label) {
  const b = el("button", { type: "button", text: "Download certificate request", "aria-label": label });
  b.addEventListener("click", () => download(`${p.address}.csr`, p.request, "application/pkcs10"));
  return b;
}

function downloadButton(text, name, data, type) {
  const b = el("button", { type: "button", text });
  b.addEventListener("click", () => download(name, data, type));
  return b;
}

/**
 * What was made: shown until the next key is made or the page is left.
 * @param {import("mailseal").GeneratedPgpKey} made
 */
function showOpenPgp(made) {
  const a = made.key.emails[0];
  $("gen-result").replaceChildren(
    el("p", {}, `OpenPGP key made for ${a} (${NAMES[made.key.algorithm] ?? made.key.algorithm}${made.key.expires ? `, expires ${made.key.expires.slice(0, 10)}` : ", no expiry"}). Fingerprint: `, el("code", { class: "fingerprint", text: grouped(made.key.id) })),
    el("p", {}, downloadButton("Download public key", `${a}.asc`, made.publicKey, "application/pgp-keys"), " to publish (WKD, a keyserver, or to your correspondents)."),
    el(
      "p",
      { class: "revocation" },
      downloadButton("Download revocation certificate", `${a}.rev.asc`, made.revocationCertificate, "application/pgp-keys"),
      " Download it now (this page cannot offer it again) and keep it offline, on paper or a USB stick: importing it (here, or in gpg) revokes the key. Use it when the key is lost or compromised.",
    ),
  );
}

/** @param {import("mailseal").PendingKeyInfo} p */
function showSmime(p) {
  const copy = el("button", { type: "button", text: "Copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(p.request);
      $("gen-msg").textContent = "The certificate request is copied.";
    } catch {
      $("gen-msg").textContent = "Copying is not allowed here: select the request's text and copy it.";
    }
  });
  $("gen-result").replaceChildren(
    el("p", { text: `S/MIME key pair made for ${p.address} (${NAMES[p.algorithm] ?? p.algorithm}). Send this certificate request to your CA; when it issues the certificate, import it in the import box above (with the CA's certificate, trusted, if the keyring does not have it yet): it joins this key, which then signs and decrypts.` }),
    el("textarea", { id: "gen-request", rows: 6, readOnly: true, spellcheck: false, "aria-label": `Certificate request for ${p.address}`, text: "" }),
    el("p", {}, requestButton(p, `Download the certificate request for ${p.address}`), " ", copy),
  );
  $("gen-request").value = p.request;
}

for (const r of document.querySelectorAll('input[name="gen-standard"]')) r.addEventListener("change", drawChoices);
$("gen-algorithm").addEventListener("change", drawChoices);

$("gen-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const kind = standard();
  const algorithm = $("gen-algorithm").value;
  const address = $("gen-address").value.trim();
  const name = $("gen-name").value.trim() || undefined;
  $("gen-msg").textContent = "";
  $("gen-result").replaceChildren();
  const what = `Making ${kind === "pgp" ? "an OpenPGP" : "an S/MIME"} ${NAMES[algorithm]} key for ${address}${algorithm.startsWith("rsa") ? " (several seconds: the page does not respond meanwhile)" : ""}…`;
  /** @type {import("mailseal").GeneratedPgpKey | import("mailseal").PendingKeyInfo} */
  let made;
  try {
    made = await busy(what, () =>
      kind === "pgp"
        ? state.ring.generateOpenPgp({ address, name, algorithm: /** @type {import("mailseal").PgpKeyAlgorithm} */ (algorithm), validDays: Number($("gen-valid").value), v6: /** @type {HTMLInputElement} */ ($("gen-v6")).checked })
        : state.ring.generateSmime({ address, name, algorithm: /** @type {import("mailseal").SmimeKeyAlgorithm} */ (algorithm) }),
    );
  } catch (e) {
    $("gen-msg").textContent = `No key made: ${describeError(e)}`;
    await persist().catch(() => {}); // the log keeps the refusal
    renderAdmin();
    return;
  }
  if ("publicKey" in made) showOpenPgp(made);
  else showSmime(made);
  try {
    await persist();
  } catch (e) {
    $("gen-msg").textContent = `The keyring could not be saved: ${describeError(e)}`;
  }
  fillComposerSelects();
  updateToggles();
  renderAdmin();
});
