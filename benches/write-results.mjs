#!/usr/bin/env node
// Writes benches/RESULTS.md from the combined runs of `make bench`, Node (benches/peers) and
// Chromium (benches/browser): the command line, date and machine, mailseal / best JS peer per
// environment, why the cells over the target are (benches/WHY.md), peak memory
// (benches/MEMORY.md) and the workerd measurement (benches/workerd/RESULTS.md), each from its
// own script, then each environment's
// tables as bench.mjs renders them (that ratio is their last column).
//
//   node benches/write-results.mjs MODE RUNS NODE_PREFIX CHROMIUM_PREFIX
// (prefixes of the combined results in benches/peers: PREFIX.json and PREFIX.md)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratiosMarkdown } from './ratios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, runs, nodePrefix, chromiumPrefix] = process.argv.slice(2);
if (!chromiumPrefix) throw new Error('usage: write-results.mjs MODE RUNS NODE_PREFIX CHROMIUM_PREFIX');
const envs = [['Node', nodePrefix], ['Chromium', chromiumPrefix]].map(([title, prefix]) => ({
  title,
  json: JSON.parse(fs.readFileSync(path.join(here, 'peers', `${prefix}.json`), 'utf8')),
  md: fs.readFileSync(path.join(here, 'peers', `${prefix}.md`), 'utf8'),
}));
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const head = [
  '# mailseal next to its peers',
  '',
  `Written by \`make bench\` (${mode} mode, ${runs} run${runs === '1' ? '' : 's'} combined, each run Node then Chromium) on ${new Date().toISOString().slice(0, 10)}; ` +
    `machine: ${cpu}, ${os.cpus().length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, ` +
    `Node ${process.version}, ${envs[1].json.meta.browser}.`,
  '',
  'The harness is benches/peers (a copy of the shared peerbench) with `adapters/mailseal.mjs`, which',
  'drives the built package only through `Keyring`, `protect()` and `open()`: every mailseal cell',
  'includes building or parsing the MIME message around the payload, which the peers do not do.',
  'Cross-implementation cells with mailseal fail by design (its plaintext is the MIME entity',
  'around the payload, not the bare payload); interop with openssl/gpg on real mail is tested in',
  'tests/interop_*.rs. On this shared 2-core machine single cells move ~±20% between runs.',
  '',
  'The Chromium side (benches/browser) runs the same adapters, operations, keys and payloads in a',
  'dedicated Web Worker of headless Chromium, on the browser builds of the libraries served from a',
  'local server (OpenPGP.js dist/openpgp.min.mjs, PKI.js + asn1js and node-forge bundled by esbuild,',
  'mailseal\'s dist/web); it has no native column, round trips or bundle sizes (see the Node side).',
  '',
].join('\n');
const summaries = envs.map((e) => ratiosMarkdown(e.json.results, e.title)).join('\n');
// Why the cells over the target are over it: written by hand next to this script.
const why = fs.readFileSync(path.join(here, 'WHY.md'), 'utf8');
// Peak memory (benches/memory.mjs) and the Worker side (benches/workerd/bench.mjs), when run:
// each writes its own markdown.
const memoryFile = path.join(here, 'MEMORY.md');
const memory = fs.existsSync(memoryFile) ? fs.readFileSync(memoryFile, 'utf8') : '';
const workerdFile = path.join(here, 'workerd', 'RESULTS.md');
const workerd = fs.existsSync(workerdFile)
  ? fs.readFileSync(workerdFile, 'utf8').replace(/^# .*\n/, '## workerd (Cloudflare Workers, local): CPU per request\n')
  : '';
// The same measurement of the worker before the speed work (kept by hand: README.md there).
const beforeFile = path.join(here, 'workerd', 'BEFORE.md');
const before = fs.existsSync(beforeFile) ? fs.readFileSync(beforeFile, 'utf8').replace(/^# /, '### ') : '';
// Each environment's report one heading level down, under "<title>: the run".
const reports = envs.map((e) => e.md.replace(/^(#+) /gm, '#$1 ').replace(/^## peerbench results\n/, `## ${e.title}: the run\n`));
fs.writeFileSync(path.join(here, 'RESULTS.md'), [head, summaries, why, memory, workerd, before, ...reports].join('\n'));
console.log('wrote benches/RESULTS.md');
