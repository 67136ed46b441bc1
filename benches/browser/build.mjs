// Browser builds for the Chromium side, made with the esbuild of benches/peers:
// - lib/: PKI.js, asn1js and node-forge as ES modules for platform=browser (code splitting, so
//   PKI.js and the adapter share one asn1js: PKI.js checks the asn1js classes the adapter makes);
// - adapters/: peerbench's adapters (benches/peers/adapters) as they are, for platform=browser,
//   with their libraries left as imports of the browser builds the page serves (IMPORTS) and
//   shims for their Node-only bits: `node:fs` (each reads its library's version from its
//   package.json) and `Buffer` (latin1 / base64 codecs, shims/buffer.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PEERS = path.join(HERE, '..', 'peers');
const esbuild = createRequire(path.join(PEERS, 'package.json'))('esbuild');

/** Bare import in an adapter -> URL of the browser build on the page's server (bench.mjs mounts). */
export const IMPORTS = {
  openpgp: '/lib/openpgp/openpgp.min.mjs', // the published dist/openpgp.min.mjs, unchanged
  pkijs: '/lib/pkijs.mjs',
  asn1js: '/lib/asn1js.mjs',
  'node-forge': '/lib/forge.mjs',
  mailseal: '/mailseal-init.mjs', // the package's web build (dist/web), initialised
};
/**
 * The columns: the adapter (benches/peers/adapters/BUNDLE.mjs), the name it reports, and the
 * browser build of its library, whose load (import + init) bench.mjs times in fresh workers.
 */
export const COLUMNS = [
  { bundle: 'openpgpjs', name: 'OpenPGP.js', module: IMPORTS.openpgp },
  { bundle: 'pkijs', name: 'PKI.js', module: IMPORTS.pkijs }, // and the asn1js chunk it imports
  { bundle: 'forge', name: 'node-forge', module: IMPORTS['node-forge'] },
  { bundle: 'mailseal', name: 'mailseal (wasm)', module: '/mailseal/mailseal.js', init: true },
];

const LIB_ENTRIES = { pkijs: "export * from 'pkijs';", asn1js: "export * from 'asn1js';", forge: "export { default } from 'node-forge';" };

// `import fs from 'node:fs'` in an adapter: readFileSync of node_modules/<name>/package.json only.
function fsShim() {
  const versions = Object.fromEntries(['openpgp', 'pkijs', 'asn1js', 'node-forge'].map((name) =>
    [name, JSON.parse(fs.readFileSync(path.join(PEERS, 'node_modules', name, 'package.json'), 'utf8')).version]));
  return `const versions = ${JSON.stringify(versions)};
export default {
  readFileSync(url) {
    const name = /node_modules\\/(.+)\\/package\\.json$/.exec(String(url))?.[1];
    if (!(name in versions)) throw new Error('fs shim: cannot read ' + url);
    return JSON.stringify({ version: versions[name] });
  },
};`;
}

const virtual = (filter, namespace, load) => ({
  name: namespace,
  setup(b) {
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace }));
    b.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: load(args.path), resolveDir: PEERS, loader: 'js' }));
  },
});
const served = {
  name: 'served-libraries',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => (args.path in IMPORTS ? { path: IMPORTS[args.path], external: true } : undefined));
  },
};

/** Writes OUT/lib and OUT/adapters. */
export async function build(out) {
  fs.rmSync(out, { recursive: true, force: true });
  const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outExtension: { '.js': '.mjs' }, logLevel: 'warning' };
  await esbuild.build({
    ...common,
    entryPoints: Object.keys(LIB_ENTRIES).map((name) => ({ in: `lib:${name}`, out: name })),
    plugins: [virtual(/^lib:/, 'lib', (p) => LIB_ENTRIES[p.slice(4)])],
    splitting: true,
    minify: true,
    outdir: path.join(out, 'lib'),
  });
  await esbuild.build({
    ...common,
    entryPoints: COLUMNS.map((c) => path.join(PEERS, 'adapters', `${c.bundle}.mjs`)),
    plugins: [served, virtual(/^node:fs$/, 'fs-shim', fsShim)],
    inject: [path.join(HERE, 'shims', 'buffer.mjs')],
    define: { 'process.env.PKIJS_STOCK_PARSE': 'undefined' }, // the PKI.js adapter's Node switch: stock parse off
    outdir: path.join(out, 'adapters'),
  });
  await esbuild.stop(); // no esbuild service process left running next to the timed cells
}
