#!/usr/bin/env node
// Writes benches/RESULTS.md from a peerbench run (benches/peers/<prefix>.md): the `make bench`
// command line, date, machine and the harness's tables, with mailseal as one column among the peers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratiosMarkdown } from './ratios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [prefix = 'results', mode = 'full', runs = '1'] = process.argv.slice(2);
const md = fs.readFileSync(path.join(here, 'peers', `${prefix}.md`), 'utf8');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const head = [
  '# mailseal next to its peers',
  '',
  `Written by \`make bench\` (${mode} mode, ${runs} run${runs === '1' ? '' : 's'} combined) on ${new Date().toISOString().slice(0, 10)}; machine: ${cpu}, ` +
    `${os.cpus().length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.`,
  '',
  'The harness is benches/peers (a copy of the shared peerbench) with `adapters/mailseal.mjs`, which',
  'drives the built package only through `Keyring`, `protect()` and `open()`: every mailseal cell',
  'includes building or parsing the MIME message around the payload, which the peers do not do.',
  'Cross-implementation cells with mailseal fail by design (its plaintext is the MIME entity',
  'around the payload, not the bare payload); interop with openssl/gpg on real mail is tested in',
  'tests/interop_*.rs. On this shared 2-core machine single cells move ~±20% between runs.',
  '',
].join('\n');
const json = JSON.parse(fs.readFileSync(path.join(here, 'peers', `${prefix}.json`), 'utf8'));
const ratioSection = '\n' + ratiosMarkdown(json.results, 'Node');
fs.writeFileSync(path.join(here, 'RESULTS.md'), head + ratioSection + md.replace(/^# peerbench results\n/, '\n## The run\n'));
console.log('wrote benches/RESULTS.md');
