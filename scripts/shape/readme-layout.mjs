// README layout (issue 17): the README's "## Layout" section matches the tree, so that a
// newcomer's map is the real one.
//
//   - every path the section names exists (a path is a word that starts with one of the repo's
//     top-level folders or is a top-level file, e.g. `src/wasm/`, `scripts/serve.mjs`; words
//     with `{…}`, under a `dist/` folder, or that git ignores are generated output and skipped);
//   - every top-level folder of the tree is named;
//   - every folder and file directly under src/ is named: the modules are the architecture.
//
// Pure over its inputs (the README text and the tracked paths) so that it is unit-tested.

/** The text of the first fenced block under "## Layout". */
export function layoutBlock(readme) {
  const at = readme.search(/^## Layout\s*$/m);
  if (at < 0) return null;
  const rest = readme.slice(at);
  const m = /^```[^\n]*\n([\s\S]*?)^```/m.exec(rest);
  return m ? m[1] : null;
}

/** Paths named in the block: words that look like repo paths (relative, no leading `./`). */
export function namedPaths(block, topLevel) {
  const out = new Set();
  for (const raw of block.split(/\s+/)) {
    const w = raw.replace(/^[`("']+|[`)"',;:.]+$/g, "");
    if (!w || w.includes("{") || /(^|\/)dist\//.test(w)) continue;
    const first = w.split("/")[0];
    if (!topLevel.has(first) && !topLevel.has(first + "/")) continue;
    out.add(w);
  }
  return out;
}

/**
 * Problems of the layout section against the tracked paths (repo-relative, `/`-separated).
 * Returns [{ what, path }] with what one of "missing-section", "no-such-path", "not-named".
 */
export function layoutProblems(readme, tracked, isIgnored = () => false) {
  const block = layoutBlock(readme);
  if (block === null) return [{ what: "missing-section", path: "README.md" }];
  const dirs = new Set();
  const files = new Set(tracked);
  for (const p of tracked) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/") + "/");
  }
  const topLevel = new Set(tracked.map((p) => (p.includes("/") ? p.split("/")[0] + "/" : p)));
  const named = namedPaths(block, topLevel);
  const exists = (w) => files.has(w) || dirs.has(w.endsWith("/") ? w : w + "/");
  const problems = [];
  for (const w of [...named].sort()) if (!exists(w) && !isIgnored(w)) problems.push({ what: "no-such-path", path: w });
  // A folder is named by itself or by any path inside it that the section names.
  const isNamed = (p) => named.has(p) || named.has(p.replace(/\/$/, "")) || (p.endsWith("/") && [...named].some((w) => w.startsWith(p)));
  const mustName = [
    ...[...topLevel].filter((t) => t.endsWith("/") && !t.startsWith(".")),
    ...[...dirs].filter((d) => /^src\/[^/]+\/$/.test(d)),
    ...[...files].filter((f) => /^src\/[^/]+$/.test(f)),
  ];
  for (const p of mustName.sort()) if (!isNamed(p)) problems.push({ what: "not-named", path: p });
  return problems;
}

/** check-shape violations (kind "layout"), one per problem. */
export function layoutViolations(readme, tracked, isIgnored) {
  const say = {
    "missing-section": "README.md has no `## Layout` section with a fenced block",
    "no-such-path": "named in README's layout but not in the tree",
    "not-named": "in the tree but not named in README's layout",
  };
  return layoutProblems(readme, tracked, isIgnored).map((p) => ({
    kind: "layout",
    file: p.path,
    name: p.what,
    size: 1,
    detail: say[p.what],
  }));
}
