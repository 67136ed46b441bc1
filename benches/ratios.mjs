// mailseal / best JS peer, per cell of a peerbench results.json: the figure issue 12 is judged
// by (every 1 MiB and 10 MiB cell <= 1.0, every 1 KiB cell <= 1.5). The best JS peer is the
// smallest median among OpenPGP.js, PKI.js and node-forge for that cell; native tools are not
// peers here (they are one process per call).
const PEERS = ['OpenPGP.js', 'PKI.js', 'node-forge'];
const SIZE_ORDER = ['1k', '1m', '10m'];
const LABEL = { '1k': '1 KiB', '1m': '1 MiB', '10m': '10 MiB' };
const LIMIT = { '1k': 1.5, '1m': 1.0, '10m': 1.0 };

/** { mailseal, best, peer, ratio } from one cell's result rows (one per column), or null without both sides. */
export function cellRatio(rows) {
  const ok = rows.filter((r) => r.status === 'ok');
  const mailseal = ok.find((r) => r.adapter.startsWith('mailseal'));
  const peers = ok.filter((r) => PEERS.includes(r.adapter));
  if (!mailseal || peers.length === 0) return null;
  const best = peers.reduce((a, b) => (a.median_ms <= b.median_ms ? a : b));
  return { mailseal: mailseal.median_ms, best: best.median_ms, peer: best.adapter, ratio: mailseal.median_ms / best.median_ms };
}

/** Rows { payload, size, op, keyType, mailseal, best, peer, ratio } for every cell with both. */
export function ratios(results) {
  const cells = new Map();
  for (const r of results) {
    const key = [r.payload, r.size, r.op, r.keyType].join('|');
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(r);
  }
  const rows = [];
  for (const cell of cells.values()) {
    const q = cellRatio(cell);
    const { payload, size, op, keyType } = cell[0];
    if (q) rows.push({ payload, size, op, keyType, ...q });
  }
  return rows;
}

/** Markdown: a summary per size, then every cell over its limit, worst first. */
export function ratiosMarkdown(results, title) {
  const rows = ratios(results);
  const out = [`## ${title}: mailseal / best JS peer`, '',
    'Per cell: mailseal\'s median / the smallest median among OpenPGP.js, PKI.js and node-forge ' +
    '(native openssl/gpg excluded). Targets (issue 12): ≤ 1.0 at 1 MiB and 10 MiB, ≤ 1.5 at 1 KiB.', '',
    '| size | cells | geometric mean | ≤ 1.0 | ≤ 1.5 | over the target |', '|---|---:|---:|---:|---:|---:|'];
  for (const size of SIZE_ORDER) {
    const r = rows.filter((x) => x.size === size);
    if (!r.length) continue;
    const geo = Math.exp(r.reduce((a, x) => a + Math.log(x.ratio), 0) / r.length);
    const over = r.filter((x) => x.ratio > LIMIT[size]).length;
    out.push(`| ${LABEL[size]} | ${r.length} | ${geo.toFixed(2)} | ${r.filter((x) => x.ratio <= 1).length} | ${r.filter((x) => x.ratio <= 1.5).length} | ${over} |`);
  }
  const over = rows.filter((x) => x.ratio > LIMIT[x.size]).sort((a, b) => b.ratio - a.ratio);
  if (over.length) {
    out.push('', 'Cells over the target, worst first:', '',
      '| ratio | size | payload | operation | key | mailseal ms | best peer ms (peer) |', '|---:|---|---|---|---|---:|---:|');
    for (const x of over) {
      out.push(`| ${x.ratio.toFixed(2)} | ${LABEL[x.size]} | ${x.payload} | ${x.op} | ${x.keyType} | ${x.mailseal.toFixed(1)} | ${x.best.toFixed(1)} (${x.peer}) |`);
    }
  }
  return out.join('\n') + '\n';
}
