// mailseal / best JS peer, per cell of a peerbench results.json: the figure issue 12 is judged
// by (every 1 MiB and 10 MiB cell <= 1.0, every 1 KiB cell <= 1.5). The best JS peer is the
// smallest median among OpenPGP.js, PKI.js and node-forge for that cell; native tools are not
// peers here (they are one process per call).
const PEERS = ['OpenPGP.js', 'PKI.js', 'node-forge'];
const SIZE_ORDER = ['1k', '1m', '10m'];
const LABEL = { '1k': '1 KiB', '1m': '1 MiB', '10m': '10 MiB' };
const LIMIT = { '1k': 1.5, '1m': 1.0, '10m': 1.0 };

/** Rows { payload, size, op, keyType, mailseal, best, peer, ratio } for every cell with both. */
export function ratios(results) {
  const cells = new Map();
  for (const r of results) {
    if (r.status !== 'ok') continue;
    const key = [r.payload, r.size, r.op, r.keyType].join('|');
    if (!cells.has(key)) cells.set(key, { payload: r.payload, size: r.size, op: r.op, keyType: r.keyType, by: {} });
    cells.get(key).by[r.adapter] = r.median_ms;
  }
  const rows = [];
  for (const c of cells.values()) {
    const mailseal = Object.entries(c.by).find(([a]) => a.startsWith('mailseal'))?.[1];
    const peers = PEERS.filter((p) => c.by[p] !== undefined);
    if (mailseal === undefined || peers.length === 0) continue;
    const peer = peers.reduce((a, b) => (c.by[a] <= c.by[b] ? a : b));
    rows.push({ ...c, mailseal, best: c.by[peer], peer, ratio: mailseal / c.by[peer] });
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
