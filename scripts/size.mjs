// Prints the raw, gzip and brotli sizes of what the package ships to a browser (the .wasm and
// its JS glue), so every build shows what a page download costs.
//   node scripts/size.mjs [dir]      (default pkg/dist/web)
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "pkg/dist/web";
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
let total = { raw: 0, gzip: 0, brotli: 0 };
for (const name of readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f)).sort()) {
  const data = readFileSync(join(dir, name));
  const s = {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
  for (const k of Object.keys(total)) total[k] += s[k];
  console.log(`size: ${name.padEnd(22)} raw ${kib(s.raw).padStart(9)}  gzip ${kib(s.gzip).padStart(8)}  brotli ${kib(s.brotli).padStart(8)}`);
}
console.log(`size: ${`total (${dir})`.padEnd(22)} raw ${kib(total.raw).padStart(9)}  gzip ${kib(total.gzip).padStart(8)}  brotli ${kib(total.brotli).padStart(8)}`);
