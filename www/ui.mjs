// Small DOM helpers of the demo page: element lookup and building, inline SVG icons, errors,
// the busy spinner, the passphrase dialog and downloads. Nothing here knows the package.

// The page's own elements by id. Typed `any` for the type check (tests/js/types/www.tsconfig.json),
// which is about the package API: every call into "mailseal" is checked against its .d.ts.
/** @type {(id: string) => any} */
export const $ = (id) => document.getElementById(id);
/** @type {(selector: string) => any} */
export const $q = (selector) => document.querySelector(selector);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node && typeof v !== "string") node[k] = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

export function describeError(e) {
  const code = e && typeof e === "object" && e.code ? ` [${e.code}]` : "";
  return `${e?.message ?? e}${code}`;
}

export function showError(context, e) {
  $("error").textContent = context ? `${context}: ${describeError(e)}` : "";
}

/** Runs slow work (Argon2 in seal/unseal takes about a second) behind a spinner. */
export async function busy(text, fn) {
  $("busy-text").textContent = text;
  $("busy").hidden = false;
  // Let the browser paint the spinner before the synchronous wasm call blocks the thread.
  // (The timeout also covers hidden tabs, where animation frames do not come.)
  await new Promise((r) => {
    requestAnimationFrame(() => setTimeout(r, 0));
    setTimeout(r, 100);
  });
  try {
    return await fn();
  } finally {
    $("busy").hidden = true;
  }
}

export function splitAddresses(s) {
  return s.split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean);
}

export function download(name, data, type = "application/octet-stream") {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Status icons as inline SVG (emoji render as empty boxes without an emoji font): 24×24 strokes
 * in currentColor, hidden from screen readers (the text beside them says it).
 */
export const ICONS = {
  lock: "M6 11h12v9H6z M8.5 11V8a3.5 3.5 0 0 1 7 0v3",
  check: "M4 12.5l5 5L20 6.5",
  cross: "M6 6l12 12M18 6L6 18",
  warn: "M12 3L22 20H2z M12 9.5v5 M12 17.2v.6",
  question: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7 M12 16.8v.6",
  clock: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M12 7v5.5l3.5 2",
  stop: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M5.6 5.6l12.8 12.8",
  half: "M12 21a9 9 0 1 0 0-18a9 9 0 0 0 0 18z M12 3v18 M12 7h5 M12 11h6.5 M12 15h6",
  mail: "M3 6h18v12H3z M3 6l9 7l9-7",
  clip: "M16.5 7.5l-7 7a2 2 0 0 0 2.8 2.8l7.2-7.2a4 4 0 0 0-5.7-5.7L6.6 11.6a6 6 0 0 0 8.5 8.5L20 15.2",
};

/** @param {keyof typeof ICONS} name */
export function icon(name) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 24 24", width: "1em", height: "1em", class: "icon", "aria-hidden": "true", focusable: "false" })) svg.setAttribute(k, v);
  const path = document.createElementNS(NS, "path");
  for (const [k, v] of Object.entries({ d: ICONS[name], fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round" })) path.setAttribute(k, v);
  svg.append(path);
  return svg;
}


export function askPassphrase(why) {
  return new Promise((resolve) => {
    const dlg = $("pass-dialog");
    $("pass-why").textContent = why;
    $("pass-input").value = "";
    dlg.returnValue = "";
    dlg.addEventListener(
      "close",
      () => {
        const v = $("pass-input").value;
        $("pass-input").value = "";
        resolve(dlg.returnValue === "ok" ? v : null);
      },
      { once: true },
    );
    dlg.showModal();
    $("pass-input").focus();
  });
}
