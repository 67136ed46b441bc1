// Demo page logic: load the wasm, import the demo keys, list them. Only moves bytes and
// renders what the keyring reports; no crypto here.
import init, { Keyring, version } from "mailseal";

const $ = (id) => document.getElementById(id);

function showError(context, e) {
  const code = e && typeof e === "object" && "code" in e ? ` [${e.code}]` : "";
  $("log").textContent = `${context}: ${e?.message ?? e}${code}`;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function render(ring) {
  const body = $("keys");
  body.replaceChildren();
  const keys = ring.list();
  if (keys.length === 0) {
    const tr = document.createElement("tr");
    tr.append(cell("no keys"));
    tr.firstChild.colSpan = 7;
    body.append(tr);
    return;
  }
  for (const k of keys) {
    const tr = document.createElement("tr");
    tr.dataset.id = k.id;
    tr.append(
      cell(k.kind === "smime" ? "S/MIME" : "OpenPGP"),
      cell(k.emails.join(", ") || "—"),
      cell(k.status, `status-${k.status}`),
      cell(k.algorithm ?? ""),
      cell(k.hasSecret ? "yes" : "no"),
      cell(k.trusted ? "yes" : "no"),
      cell(k.id, "id"),
    );
    body.append(tr);
  }
}

async function main() {
  await init();
  $("version").textContent = typeof version === "function" ? `mailseal ${version()}` : "";
  const ring = new Keyring();

  const manifest = await (await fetch("demo-keys/manifest.json")).json();
  for (const key of manifest.keys) {
    try {
      const bytes = new Uint8Array(await (await fetch(`demo-keys/${key.file}`)).arrayBuffer());
      ring.import(bytes, { trusted: key.trusted });
    } catch (e) {
      showError(`demo key ${key.file}`, e);
    }
  }
  render(ring);

  $("import").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = $("file").files[0];
    if (!file) return;
    $("log").textContent = "";
    try {
      const passphrase = $("passphrase").value || undefined;
      const infos = ring.import(new Uint8Array(await file.arrayBuffer()), { passphrase });
      $("log").textContent = "";
      render(ring);
      $("passphrase").value = "";
      console.log(`imported ${infos.length} key(s) from ${file.name}`);
    } catch (e) {
      showError(file.name, e);
    }
  });
  document.body.dataset.ready = "true";
}

main().catch((e) => showError("mailseal failed to start", e));
