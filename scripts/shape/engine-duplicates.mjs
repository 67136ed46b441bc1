// Engine duplicates (issue 17): no block of six or more lines, the same lines or the same shape,
// repeated between the two engines (src/smime, src/openpgp) or between one of them and the engine
// contract (src/engine.rs). Logic written twice is where the standards drift apart: the
// recipient loop and its errors, the signer choice, the verdict rules belong in one place.
//
// How a line is compared. Rust comments and literals are masked (maskRust in text.mjs), test
// modules are left out, and each remaining line becomes its shape: identifiers become `i`
// (keywords stay), numbers `n`, white space goes; punctuation stays. Two places are the same when
// MIN_RUN consecutive counted lines have the same shapes. Same lines are a special case of the
// same shape, so one comparison covers both.
//
// Not counted (they are not logic anybody could write once):
//   - blank lines, lone punctuation, `use` / `mod` lines, attributes;
//   - function signatures, from `fn` to the opening brace: both engines implement one trait, so
//     their method signatures match by construction (the trait states them once);
//   - idioms: a window of lines whose shape stands in more than COMMON places in the files read
//     (the same shape in every match arm of a folder is a style, not a copy);
//   - thin windows: fewer than MIN_DISTINCT different line shapes among the MIN_RUN lines (a
//     list of similar arms or fields).
import { bracketPairs, maskRust, rustTestModules } from "./text.mjs";

export const MIN_RUN = 6;
const COMMON = 8;
const MIN_DISTINCT = 4;

/** Which side of the comparison a file is on; null for files not compared. */
export function engineGroup(file) {
  if (file.startsWith("src/smime/")) return "smime";
  if (file.startsWith("src/openpgp/")) return "openpgp";
  if (file === "src/engine.rs") return "engine";
  return null;
}

const KEYWORDS = new Set(
  ("as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut " +
    "pub ref return self Self static struct super trait true type unsafe use where while Ok Err Some None").split(" "),
);

/** The shape of one masked line ("" when it does not count). */
export function lineShape(line) {
  const t = line.trim();
  if (!t || /^[\s{}()[\];,.]*$/.test(t)) return "";
  if (/^(pub(\([^)]*\))?\s+)?(use|mod)\b/.test(t) || /^#!?\[/.test(t)) return "";
  return t
    .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (w) => (KEYWORDS.has(w) ? w : "i"))
    .replace(/\b\d[\d_]*(\.\d+)?([a-z]\w*)?\b/g, "n")
    .replace(/\s+/g, "");
}

const FN_START = /^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?(extern\s+"[^"]*"\s+)?fn\s/;

/** Counted lines of a Rust file: [{ line (1-based), shape }]. */
export function countedLines(src) {
  const masked = maskRust(src);
  const pairs = bracketPairs(masked);
  const testRanges = rustTestModules(masked, pairs);
  const lines = masked.split("\n");
  const starts = [];
  let off = 0;
  for (const l of lines) (starts.push(off), (off += l.length + 1));
  const inTest = (o) => testRanges.some(([a, b]) => o >= a && o <= b);
  const out = [];
  let inSignature = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (inTest(starts[i])) continue;
    if (!inSignature && FN_START.test(l)) inSignature = true;
    if (inSignature) {
      // The signature ends at the body's brace (or a `;` for a declaration) outside parentheses.
      if (/\{\s*$/.test(l) || /;\s*$/.test(l)) inSignature = false;
      continue;
    }
    const shape = lineShape(l);
    if (shape) out.push({ line: i + 1, shape });
  }
  return out;
}

/**
 * Runs of MIN_RUN or more counted lines with the same shapes, between files of different
 * groups. Returns [{ a, b, aFrom, aTo, bFrom, bTo, lines }], one per maximal run.
 */
export function engineDuplicates(sources) {
  const files = [...sources.keys()].filter((f) => engineGroup(f)).sort();
  const counted = new Map(files.map((f) => [f, countedLines(sources.get(f))]));
  // Every window of MIN_RUN shapes, everywhere in the compared files.
  const places = new Map();
  for (const f of files) {
    const ls = counted.get(f);
    for (let i = 0; i + MIN_RUN <= ls.length; i++) {
      const win = ls.slice(i, i + MIN_RUN).map((x) => x.shape);
      if (new Set(win).size < MIN_DISTINCT) continue;
      const key = win.join("\n");
      if (!places.has(key)) places.set(key, []);
      places.get(key).push([f, i]);
    }
  }
  // Pairs of window starts across groups, then merged into maximal runs.
  const starts = new Map();
  for (const list of places.values()) {
    if (list.length > COMMON) continue;
    for (const [fa, ia] of list)
      for (const [fb, ib] of list) {
        if (fa >= fb || engineGroup(fa) === engineGroup(fb)) continue;
        const k = `${fa}\u0000${fb}`;
        if (!starts.has(k)) starts.set(k, []);
        starts.get(k).push([ia, ib]);
      }
  }
  const runs = [];
  for (const [k, list] of starts) {
    const [a, b] = k.split("\u0000");
    const la = counted.get(a);
    const lb = counted.get(b);
    const seen = new Set(list.map(([x, y]) => `${x},${y}`));
    for (const [ia, ib] of list.sort((p, q) => p[0] - q[0] || p[1] - q[1])) {
      if (seen.has(`${ia - 1},${ib - 1}`)) continue; // inside a run that started earlier
      let n = MIN_RUN;
      while (seen.has(`${ia + n - MIN_RUN + 1},${ib + n - MIN_RUN + 1}`)) n++;
      runs.push({ a, b, aFrom: la[ia].line, aTo: la[ia + n - 1].line, bFrom: lb[ib].line, bTo: lb[ib + n - 1].line, lines: n });
    }
  }
  return runs;
}

/** check-shape violations: one per pair of files, its size the duplicated counted lines. */
export function engineDuplicateViolations(sources) {
  const byPair = new Map();
  for (const r of engineDuplicates(sources)) {
    const k = `${r.a} ~ ${r.b}`;
    if (!byPair.has(k)) byPair.set(k, []);
    byPair.get(k).push(r);
  }
  return [...byPair].map(([file, runs]) => {
    const size = runs.reduce((s, r) => s + r.lines, 0);
    return {
      kind: "engine-dup",
      file,
      name: "",
      size,
      detail: `${size} repeated lines in ${runs.length} run(s)`,
      runs,
    };
  });
}
