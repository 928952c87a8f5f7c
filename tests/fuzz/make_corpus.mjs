// make_corpus.mjs — writes the committed seed corpus tests/fuzz/corpus/<target>/: a few small valid
// inputs of each format, built byte by byte from the formats in the core's headers, and slightly
// broken twins (truncated, a trailing byte, a wrong count), plus the CLI's fixtures of that kind.
//   node tests/fuzz/make_corpus.mjs   (deterministic: rerunning it rewrites the same files)
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'cli', 'fixtures');
const corpus = join(here, 'corpus');

// [helpers] ------------------------------------------------------------------------------------
const be32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const le32 = (n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const f32 = (x) => { const b = Buffer.alloc(4); b.writeFloatLE(x); return [...b]; };
const ascii = (s) => [...Buffer.from(s, 'latin1')];
// The same small pseudo-random sequence every run (an LCG), for pixel values and weights.
let state = 12345;
const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;

function target(name, seeds, fixtureNames = []) {
  const dir = join(corpus, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(seeds)) writeFileSync(join(dir, file), Buffer.from(bytes));
  for (const f of fixtureNames) copyFileSync(join(fixtures, f), join(dir, `fixture-${f}`));
}
const idx = (dims, data) => [0, 0, 8, dims.length, ...dims.flatMap(be32), ...data];
const grey = (n) => Array.from({ length: n }, () => Math.floor(next() * 256));

// [idx] ----------------------------------------------------------------------------------------
const images233 = idx([2, 3, 3], grey(18));
target('idx', {
  'images-2x3x3.idx': images233,
  'labels-6.idx': idx([6], [0, 1, 1, 2, 2, 2]),
  'four-dims-1x1x2x2.idx': idx([1, 1, 2, 2], [0, 64, 128, 255]),
  'zero-images-0x28x28.idx': idx([0, 28, 28], []),
  'truncated-data.idx': images233.slice(0, -1),
  'trailing-byte.idx': [...images233, 7],
  'truncated-header.idx': images233.slice(0, 10),
  'element-type-0x0d.idx': [0, 0, 0x0d, 1, ...be32(1), ...f32(1)],
  'five-dims.idx': [0, 0, 8, 5, ...[1, 1, 1, 1, 1].flatMap(be32), 9],
}, ['tiny-labels-idx1-ubyte', 'bad-magic.idx', 'truncated-images.idx']);

// [csv] ----------------------------------------------------------------------------------------
target('csv', {
  'header-floats.csv': ascii('label,x,y\n0,1.5,-2\n1,2.5e-3,0\n'),
  'bom-crlf-blank.csv': [0xef, 0xbb, 0xbf, ...ascii('2, 0, 255\r\n\r\n1,\t3 ,4\r\n')],
  'label-3.0.csv': ascii('3.0,1,2\n'),
  'nan-feature.csv': ascii('0,nan\n'),
  'hex-feature.csv': ascii('0,0x10\n'),
  'label-256.csv': ascii('256,1\n'),
  'quoted-header.csv': ascii('"label","a"\n1,2\n'),
  'no-newline-at-end.csv': ascii('1,2,3\n4,5,6'),
}, ['knn-1d-train.csv', 'knn-2d-train-crlf.csv', 'knn-cv-3class.csv', 'linear-3class-train.csv', 'ragged.csv',
    'non-numeric.csv', 'bad-label.csv', 'header-only.csv', 'empty.csv']);

// [linear_model] "IMPLAYLM", u32 version 1, C, D, S, S bytes spec, (C·D + C) f32 -----------------
const linear = (c, d, spec, version = 1) =>
  [...ascii('IMPLAYLM'), ...le32(version), ...le32(c), ...le32(d), ...le32(spec.length), ...ascii(spec),
   ...Array.from({ length: c * d + c }, () => f32(next() - 0.5)).flat()];
const linear32 = linear(3, 2, 'pixels');
target('linear_model', {
  'pixels-3x2.bin': linear32,
  'pixels-mean-2x4.bin': linear(2, 4, 'pixels:scaling=mean'),
  'histogram-10x16.bin': linear(10, 16, 'histogram:bins=16'),
  'hog-2x36.bin': linear(2, 36, 'hog:cell=4,bins=9,norm=cell'),
  'raw-1x1.bin': linear(1, 1, 'raw'),
  'no-spec-1x3.bin': linear(1, 3, ''),
  'bad-spec-value.bin': linear(2, 2, 'hog:cell=x'),
  'version-2.bin': linear(1, 1, 'raw', 2),
  'truncated.bin': linear32.slice(0, -3),
  'trailing-byte.bin': [...linear32, 0],
}, ['truncated-linear-model.bin', 'unknown-spec-linear-model.bin']);

// [pixel_model] 8-byte magic, u32 version 1, rows, cols, then per kind (pixel_model.hpp) -------
const head = (magic, rows, cols) => [...ascii(magic), ...le32(1), ...le32(rows), ...le32(cols)];
const independent = (rows, cols, n) =>
  [...head('IMPLAYIB', rows, cols), ...f32(1), ...le32(n), ...Array.from({ length: rows * cols }, (_, i) => le32(i % (n + 1))).flat()];
const context = (rows, cols, k, positional) => {
  const cells = (positional ? rows * cols : 1) << k;
  const totals = Array.from({ length: cells }, () => Math.floor(next() * 50));
  const ones = totals.map((t) => Math.floor(next() * (t + 1)));
  return [...head('IMPLAYCX', rows, cols), ...le32(k), ...le32(positional ? 1 : 0), ...f32(0.5),
          ...ones.flatMap(le32), ...totals.flatMap(le32)];
};
const weights = (n) => Array.from({ length: n }, () => f32(2 * next() - 1)).flat();
const fvsbn = (rows, cols) => { const d = rows * cols; return [...head('IMPLAYFV', rows, cols), ...weights((d * (d - 1)) / 2 + d)]; };
const nade = (rows, cols, h) => { const d = rows * cols; return [...head('IMPLAYNA', rows, cols), ...le32(h), ...weights(2 * h * d + h + d)]; };
const context28 = context(28, 28, 3, false);
target('pixel_model', {
  'independent-4x4.bin': independent(4, 4, 5),
  'context-28x28-k3.bin': context28,
  'context-3x3-k2-positional.bin': context(3, 3, 2, true),
  'context-1x1-k12.bin': context(1, 1, 12, false).slice(0, 60) /* truncated: 2^12 cells promised */,
  'fvsbn-4x4.bin': fvsbn(4, 4),
  'fvsbn-1x1.bin': fvsbn(1, 1),
  'nade-4x4-h2.bin': nade(4, 4, 2),
  'nade-28x28-h1.bin': nade(28, 28, 1),
  'context-n1-above-n.bin': [...head('IMPLAYCX', 1, 2), ...le32(1), ...le32(0), ...f32(1), ...[3, 0, 2, 0].flatMap(le32)],
  'context-trailing-byte.bin': [...context28, 1],
  'nade-h0.bin': nade(2, 2, 1).map((b, i) => (i === 20 ? 0 : b)),
}, ['ar-truncated-model.bin', 'ar-truncated-nade.bin']);

// [sketch_set] an IDX images file of N×28×28, 0/255 (grey values binarize at 128) ---------------
const stroke = Array.from({ length: 784 }, (_, i) => ((i % 28) === 14 || Math.floor(i / 28) === 14 ? 255 : 0));
const greyish = Array.from({ length: 784 }, (_, i) => [0, 127, 128, 255][i % 4]);
target('sketch_set', {
  'one-cross.idx': idx([1, 28, 28], stroke),
  'two-grey.idx': idx([2, 28, 28], [...stroke, ...greyish]),
  'empty-set.idx': idx([0, 28, 28], []),
  'wrong-side-1x16x16.idx': idx([1, 16, 16], grey(256)),
  'labels-file.idx': idx([3], [1, 2, 3]),
  'too-many-2001x28x28-truncated.idx': idx([2001, 28, 28], []),
});

// [url_params] the page's query strings, good and bad ------------------------------------------
target('url_params', {
  'knn.txt': ascii('?lab=knn&k=5&metric=l1&embed=1'),
  'linear.txt': ascii('lab=linear&lr=0.01&x=-2.5e3&embed=false'),
  'escapes.txt': ascii('?k=%35&metric=cos%69ne&lab=a+b&%6Bey=%zz%4'),
  'bad-values.txt': ascii('k=abc&k=3&&=x&embed=maybe&lr=1e40&metric=L2&n=-2147483649'),
  'repeats.txt': ascii('?k=1&k=2&k=51&n=2147483647&x=nan&x=inf&extra'),
  'empty-pieces.txt': ascii('?&&=&=&&k=&metric='),
});

// [gzip_idx] IDX files raw and gzip'd: one member, two members, corrupt, and a small bomb ------
// gzipSync writes mtime 0, so the bytes are the same on every run.
const gz = (bytes) => [...gzipSync(Buffer.from(bytes), { level: 9 })];
const gzImages = gz(images233);
const labels6 = idx([6], [0, 1, 1, 2, 2, 2]);
target('gzip_idx', {
  'images-2x3x3.idx.gz': gzImages,
  'labels-6.idx.gz': gz(labels6),
  'raw-images-2x3x3.idx': images233,
  'two-members.idx.gz': [...gz(labels6.slice(0, 7)), ...gz(labels6.slice(7))],
  'truncated.idx.gz': gzImages.slice(0, -6),
  'trailing-garbage.idx.gz': [...gzImages, 1, 2, 3],
  'bad-crc.idx.gz': gzImages.map((b, i) => (i === gzImages.length - 8 ? b ^ 1 : b)),
  'promises-1x28x28-inflates-to-1MB.idx.gz': gz([...idx([1, 28, 28], []), ...new Uint8Array(1 << 20)]),
  'empty-member.gz': gz([]),
}, ['corrupt.idx.gz', 'tiny-labels-idx1-ubyte']);

// [roc_csv] label,score files with and without a header ------------------------------------------
target('roc_csv', {
  'no-header.csv': ascii('1,0.9\n0,0.1\n1,0.5\n0,0.5\n'),
  'score-label-extra.csv': ascii('id,score,label\r\na,0.3,0\r\n\r\nb,0.7,1\r\n'),
  'bom-ties.csv': [0xef, 0xbb, 0xbf, ...ascii('label,score\n1,1e-3\n0,1e-3\n1,-2\n')],
  'one-class.csv': ascii('label,score\n1,0.2\n1,0.4\n'),
  'two-label-columns.csv': ascii('label,score,label\n1,0.2,0\n'),
  'inf-score.csv': ascii('1,inf\n0,0\n'),
  'header-only.csv': ascii('label,score\n'),
}, ['roc-lecture.csv', 'roc-ties-crlf.csv', 'roc-bad-label.csv', 'roc-bad-score.csv', 'roc-one-class.csv']);

// [png] tiny PNGs of each colour type stb converts, plus broken ones ---------------------------
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => (bytes.reduce((c, b) => crcTable[(c ^ b) & 255] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
const chunk = (type, body) => { const tb = [...ascii(type), ...body]; return [...be32(body.length), ...tb, ...be32(crc32(tb))]; };
// colourType: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA; samples per pixel accordingly.
const png = (w, h, depth, colourType, { palette = null, width = w, height = h } = {}) => {
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType];
  const rowBytes = Math.ceil((w * samples * depth) / 8);
  const raw = [];
  for (let y = 0; y < h; ++y) raw.push(y % 5, ...grey(rowBytes));  // filter types 0..4 in turn
  return [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a,
          ...chunk('IHDR', [...be32(width), ...be32(height), depth, colourType, 0, 0, 0]),
          ...(palette ? chunk('PLTE', palette) : []),
          ...chunk('IDAT', [...deflateSync(Buffer.from(raw))]),
          ...chunk('IEND', [])];
};
const grey28 = png(28, 28, 8, 0);
target('png', {
  'grey-28x28.png': grey28,
  'grey-alpha-3x2.png': png(3, 2, 8, 4),
  'rgba-4x4.png': png(4, 4, 8, 6),
  'rgb16-2x2.png': png(2, 2, 16, 2),
  'palette-1bit-9x3.png': png(9, 3, 1, 3, { palette: [0, 0, 0, 255, 255, 255] }),
  'grey-2bit-5x5.png': png(5, 5, 2, 0),
  'claims-100000x100000.png': png(2, 2, 8, 0, { width: 100000, height: 100000 }),
  'claims-5000x4000.png': png(2, 2, 8, 0, { width: 5000, height: 4000 }),
  'truncated-idat.png': grey28.slice(0, 60),
  'no-iend.png': grey28.slice(0, -12),
}, ['ar-16x16.png', 'ar-digit-rgb.png', 'bad-magic.idx']);

// [mlp] "IMPLAYNN", u32 version 1, D, C, activation, L, L widths, Σ widths mask bytes, S, S bytes
// spec, P f32 (mlp.hpp); P = Σ_l (in_l + 1) out_l. Last in the file: its weights draw from next(),
// so the targets above keep their bytes --------------------------------------------------------
const mlp = (d, c, activation, widths, spec, { mask = null, version = 1 } = {}) => {
  const sizes = [d, ...widths, c];
  const p = sizes.slice(1).reduce((sum, out, l) => sum + (sizes[l] + 1) * out, 0);
  const units = widths.reduce((a, b) => a + b, 0);
  return [...ascii('IMPLAYNN'), ...le32(version), ...le32(d), ...le32(c), ...le32(activation), ...le32(widths.length),
          ...widths.flatMap(le32), ...(mask ?? Array(units).fill(1)), ...le32(spec.length), ...ascii(spec),
          ...Array.from({ length: p }, () => f32(next() - 0.5)).flat()];
};
const mlp232 = mlp(2, 3, 0, [2], 'x,y');
target('mlp', {
  'relu-2-2-3.bin': mlp232,
  'linear-model-2-3.bin': mlp(2, 3, 0, [], 'x,y,xy'),
  'tanh-3-4-4-2-one-unit-off.bin': mlp(3, 2, 2, [4, 4], 'x2,y2,sinx', { mask: [1, 1, 0, 1, 1, 1, 1, 1] }),
  'sigmoid-16-3-10-pixels.bin': mlp(16, 10, 3, [3], 'pixels:scaling=unit'),
  'six-layers-1-1x6-2-raw.bin': mlp(1, 2, 4, [1, 1, 1, 1, 1, 1], 'raw'),
  'no-spec.bin': mlp(1, 2, 1, [1], ''),
  'mask-byte-2.bin': mlp(2, 2, 0, [2], 'x,y', { mask: [1, 2] }),
  'activation-5.bin': mlp(2, 2, 5, [1], 'x,y'),
  'version-2.bin': mlp(2, 2, 0, [1], 'x,y', { version: 2 }),
  'width-1025.bin': [...mlp232.slice(0, 28), ...le32(1025), ...mlp232.slice(32)],
  'nan-parameter.bin': [...mlp232.slice(0, -4), ...f32(NaN)],
  'truncated.bin': mlp232.slice(0, -3),
  'truncated-in-header.bin': mlp232.slice(0, 30),
  'trailing-byte.bin': [...mlp232, 0],
}, ['nn-halfplane.bin', 'nn-truncated.bin', 'nn-xor-tanh.bin', 'nn-raw-1d.bin', 'truncated-linear-model.bin']);

// [cnn] "IMPLAYCN", u32 version 1, C, H, W, L, L × 6 u32 (kind 0 conv, 1 relu, 2 maxpool, 3 dense;
// size, kh, kw, stride, pad), P f32 in the flat order (cnn.hpp). After [mlp]: its weights draw
// from next() too ------------------------------------------------------------------------------
const conv = (f, k, stride = 1, pad = 0) => [0, f, k, k, stride, pad];
const relu = [1, 0, 0, 0, 0, 0];
const maxpool = (k, stride = k) => [2, 0, k, k, stride, 0];
const dense = (out) => [3, out, 0, 0, 0, 0];
const cnn = (c, h, w, layers, p, { version = 1 } = {}) =>
  [...ascii('IMPLAYCN'), ...le32(version), ...le32(c), ...le32(h), ...le32(w), ...le32(layers.length),
   ...layers.flat().flatMap(le32), ...Array.from({ length: p }, () => f32(next() - 0.5)).flat()];
// 1x6x6 > conv 3x3 x2 > relu > maxpool 2 > dense 3: P = 2·9 + 2 + (2·2·2)·3 + 3 = 47.
const cnnSmall = cnn(1, 6, 6, [conv(2, 3), relu, maxpool(2), dense(3)], 47);
target('cnn', {
  'conv-relu-pool-dense-1x6x6.bin': cnnSmall,
  'dense-only-1x2x2.bin': cnn(1, 2, 2, [dense(2)], 10),
  'two-channels-stride-pad-2x5x5.bin': cnn(2, 5, 5, [conv(3, 3, 2, 1), relu, dense(2)], 2 * 3 * 9 + 3 + 27 * 2 + 2),
  'pool-stride-1x4x4.bin': cnn(1, 4, 4, [maxpool(3, 1), dense(2)], 4 * 2 + 2),
  'version-2.bin': cnn(1, 2, 2, [dense(2)], 10, { version: 2 }),
  'kind-4.bin': cnn(1, 2, 2, [[4, 2, 0, 0, 0, 0]], 10),
  'last-layer-relu.bin': cnn(1, 2, 2, [dense(2), relu], 10),
  'one-class.bin': cnn(1, 2, 2, [dense(1)], 5),
  'kernel-too-big.bin': cnn(1, 2, 2, [conv(1, 3), dense(2)], 12),
  'nan-parameter.bin': [...cnnSmall.slice(0, -4), ...f32(NaN)],
  'truncated.bin': cnnSmall.slice(0, -3),
  'truncated-in-header.bin': cnnSmall.slice(0, 30),
  'trailing-byte.bin': [...cnnSmall, 0],
}, ['bad-magic.idx', 'nn-halfplane.bin']);
