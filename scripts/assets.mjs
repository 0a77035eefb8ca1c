// Finishes the built site (target/site) for serving:
// - minifies wasm-bindgen's JavaScript glue (terser, from tools/'s npm
//   packages): less to download and, on a slow phone, to parse;
// - names the bundle's files (pkg/shop.{css,js,wasm}) after a hash of their
//   content, so the server can let browsers keep them for a year, and lists
//   the names in assets.txt, which the server reads at start-up;
// - writes a brotli (.br) and a gzip (.gz) copy beside every file worth
//   compressing, which the server sends to browsers that accept them.
// Node's own zlib does both: no other tool to install.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const site = process.argv[2];
if (!site) throw new Error('usage: node scripts/assets.mjs <site root>');
const pkg = path.join(site, 'pkg');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { minify } = createRequire(path.join(root, 'tools', 'package.json'))('terser');

// The bundle's name: LEPTOS_OUTPUT_NAME in .cargo/config.toml (scripts/lib.sh exports it).
const bundle = process.env.BUNDLE;
if (!bundle) throw new Error('BUNDLE is not set (run through scripts/build.sh)');
// ASSETS_DEV=1 (scripts/dev.sh): no minifying nor compressing, which take
// seconds on an unoptimised bundle; names and manifest as always.
const dev = process.env.ASSETS_DEV === '1';
const glue = path.join(pkg, `${bundle}.js`);
if (!dev) {
  const minified = await minify(fs.readFileSync(glue, 'utf8'), { module: true, ecma: 2020 });
  fs.writeFileSync(glue, minified.code);
}

const manifest = [];
for (const [kind, file] of [['css', `${bundle}.css`], ['js', `${bundle}.js`], ['wasm', `${bundle}.wasm`]]) {
  const from = path.join(pkg, file);
  const hash = createHash('sha256').update(fs.readFileSync(from)).digest('hex').slice(0, 16);
  const name = file.replace(/\.(\w+)$/, `.${hash}.$1`);
  fs.renameSync(from, path.join(pkg, name));
  manifest.push(`${kind} /pkg/${name}`);
}
fs.writeFileSync(path.join(site, 'assets.txt'), manifest.join('\n') + '\n');

const COMPRESSIBLE = new Set(['.css', '.js', '.mjs', '.wasm', '.svg', '.html', '.json', '.txt', '.ico', '.xml']);
function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}
for (const file of dev ? [] : [...files(site)]) {
  if (!COMPRESSIBLE.has(path.extname(file))) continue;
  const raw = fs.readFileSync(file);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  // A copy that saves nothing is not worth a second request path.
  if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
  if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
}
console.log(manifest.join('\n'));
