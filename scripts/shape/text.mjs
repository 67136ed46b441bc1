// Text scanning for check-shape: masking comments and literals (Rust and JavaScript), bracket
// pairs, line numbers and Rust test modules. Shared by scripts/check-shape.mjs and its checks in
// scripts/shape/.

// ---- scanning: blank out comments, strings and character literals ------------------------

export const isIdent = (c) => c !== undefined && /[\w$]/.test(c);

/** Replace [from, to) of `out` with spaces, keeping newlines (so offsets and lines stay put). */
export function blank(out, src, from, to) {
  for (let k = from; k < Math.min(to, src.length); k++) out[k] = src[k] === "\n" ? "\n" : " ";
}

/**
 * Rust source with comments (nested block comments too), string, raw string, byte string and
 * char literals turned into spaces. Lifetimes and loop labels ('a) stay code.
 */
export function maskRust(src) {
  const out = src.split("");
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === "/" && d === "/") {
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      blank(out, src, i, j);
      i = j;
    } else if (c === "/" && d === "*") {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (src[j] === "/" && src[j + 1] === "*") (depth++, (j += 2));
        else if (src[j] === "*" && src[j + 1] === "/") (depth--, (j += 2));
        else j++;
      }
      blank(out, src, i, j);
      i = j;
    } else if ((c === "r" || (c === "b" && d === "r")) && !isIdent(src[i - 1]) && rawStart(src, i)) {
      const m = /^b?r(#*)"/.exec(src.slice(i, i + 300));
      const close = '"' + m[1];
      let j = src.indexOf(close, i + m[0].length);
      j = j < 0 ? n : j + close.length;
      blank(out, src, i, j);
      i = j;
    } else if (c === '"' || (c === "b" && d === '"' && !isIdent(src[i - 1]))) {
      let j = c === "b" ? i + 2 : i + 1;
      while (j < n && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      blank(out, src, i, j + 1);
      i = j + 1;
    } else if (c === "'" || (c === "b" && d === "'" && !isIdent(src[i - 1]))) {
      const q = c === "b" ? i + 1 : i;
      const end = charLiteralEnd(src, q);
      if (end > 0) {
        blank(out, src, i, end);
        i = end;
      } else i = q + 1; // a lifetime or label
    } else i++;
  }
  return out.join("");
}

function rawStart(src, i) {
  return /^b?r#*"/.test(src.slice(i, i + 260));
}

/** The index after a char literal starting with the quote at q, or -1 for a lifetime. */
function charLiteralEnd(src, q) {
  if (src[q + 1] === "\\") {
    const j = src.indexOf("'", q + 3);
    return j < 0 ? -1 : j + 1;
  }
  const cp = src.codePointAt(q + 1);
  if (cp === undefined) return -1;
  const w = cp > 0xffff ? 2 : 1;
  return src[q + 1 + w] === "'" ? q + 2 + w : -1;
}

const REGEX_AFTER_WORD = new Set([
  "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await",
]);

/**
 * JS source with comments, strings, template literals (with their ${} expressions) and regex
 * literals turned into spaces. Returns { masked, regexes: [{ start, end }] } (regex literal
 * spans of the original source).
 */
export function maskJs(src) {
  const out = src.split("");
  const regexes = [];
  const state = { i: 0 };
  scanJsCode(src, out, state, regexes, false);
  return { masked: out.join(""), regexes };
}

function regexAllowed(src, i) {
  let j = i - 1;
  while (j >= 0 && /\s/.test(src[j])) j--;
  if (j < 0) return true;
  const p = src[j];
  if (/[(,=:[!&|?{};+\-*%<>~^]/.test(p)) return true;
  if (p === "}" || p === ")" || p === "]") return false;
  if (/[\w$]/.test(p)) {
    let k = j;
    while (k >= 0 && /[\w$]/.test(src[k])) k--;
    return REGEX_AFTER_WORD.has(src.slice(k + 1, j + 1));
  }
  return false;
}

/** Scan code from state.i; with `inTemplate`, stop after the `}` that closes a ${ … }. */
function scanJsCode(src, out, state, regexes, inTemplate) {
  const n = src.length;
  let depth = 0;
  while (state.i < n) {
    const i = state.i;
    const c = src[i];
    const d = src[i + 1];
    if (c === "/" && d === "/") {
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      blank(out, src, i, j);
      state.i = j;
    } else if (c === "/" && d === "*") {
      let j = src.indexOf("*/", i + 2);
      j = j < 0 ? n : j + 2;
      blank(out, src, i, j);
      state.i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      blank(out, src, i, j + 1);
      state.i = j + 1;
    } else if (c === "`") {
      state.i = i + 1;
      scanTemplate(src, out, state, regexes);
      blank(out, src, i, state.i);
    } else if (c === "/" && regexAllowed(src, i)) {
      let j = i + 1;
      let cls = false;
      while (j < n && src[j] !== "\n" && (cls || src[j] !== "/")) {
        if (src[j] === "\\") j++;
        else if (src[j] === "[") cls = true;
        else if (src[j] === "]") cls = false;
        j++;
      }
      j++;
      while (j < n && /[a-z]/.test(src[j])) j++;
      regexes.push({ start: i, end: j });
      blank(out, src, i, j);
      state.i = j;
    } else {
      if (c === "{") depth++;
      if (c === "}") {
        if (inTemplate && depth === 0) {
          state.i = i + 1;
          return;
        }
        depth--;
      }
      state.i = i + 1;
    }
  }
}

function scanTemplate(src, out, state, regexes) {
  const n = src.length;
  while (state.i < n) {
    const c = src[state.i];
    if (c === "\\") state.i += 2;
    else if (c === "`") {
      state.i++;
      return;
    } else if (c === "$" && src[state.i + 1] === "{") {
      state.i += 2;
      scanJsCode(src, out, state, regexes, true);
    } else state.i++;
  }
}

// ---- structure over masked text ------------------------------------------------------------

/** Matching bracket index for every ( [ { in masked text (and back), as a Map. */
export function bracketPairs(masked) {
  const pairs = new Map();
  const stack = [];
  const open = { ")": "(", "]": "[", "}": "{" };
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === "(" || c === "[" || c === "{") stack.push(i);
    else if (c in open) {
      // Unbalanced input: drop to the nearest opener of the same kind.
      let k = stack.length - 1;
      while (k >= 0 && masked[stack[k]] !== open[c]) k--;
      if (k < 0) continue;
      const j = stack[k];
      stack.length = k;
      pairs.set(j, i);
      pairs.set(i, j);
    }
  }
  return pairs;
}

/** Line index (0-based) of an offset. */
export function lineIndex(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

export function countLines(src) {
  if (src.length === 0) return 0;
  const n = src.split("\n").length;
  return src.endsWith("\n") ? n - 1 : n;
}

/** [start, end] offsets of `#[cfg(test)] mod x { … }` blocks (from the attribute). */
export function rustTestModules(masked, pairs = bracketPairs(masked)) {
  const re =
    /#\[cfg\((?:test|all\(\s*test\b[^\]]*\))\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/g;
  const ranges = [];
  for (let m; (m = re.exec(masked)); ) {
    const open = m.index + m[0].length - 1;
    const close = pairs.get(open);
    if (close !== undefined) ranges.push([m.index, close]);
  }
  return ranges;
}

/** The masked text with the test-module ranges blanked too. */
export function withoutRanges(masked, ranges) {
  if (ranges.length === 0) return masked;
  const out = masked.split("");
  for (const [a, b] of ranges) blank(out, masked, a, b + 1);
  return out.join("");
}

/** Lines of a Rust file that count: all but the test modules. */
export function rustCountedLines(src) {
  const masked = maskRust(src);
  const line = lineIndex(src);
  let lines = countLines(src);
  for (const [a, b] of rustTestModules(masked)) lines -= line(b) - line(a) + 1;
  return lines;
}
