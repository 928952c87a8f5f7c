// sketch_bench.js — the page logic of sketch_bench.html: loads MNIST (IDX bytes from node_modules),
// the core (bench_sketch_wasm, built from sketch_kernels.cpp), and times (a) counting a K-neighbour
// context model over all training images, (b) one FVSBN epoch with the core's FvsbnTrainer and its
// test NLL, (c) one full completion sample per model; next to plain-JS versions of the same work
// and tfjs (wasm backend) for the FVSBN epoch. Leaves everything in window.benchResult
// (sketch_run.mjs prints it; see bench/README.md). The loading, the log and the hand-over to the
// runner are shared with knn_bench.js in bench_common.js.
//
// Index: [SECTION] configuration, [SECTION] data, [SECTION] ours (wasm), [SECTION] plain JS,
// [SECTION] tfjs, [SECTION] timing, [SECTION] main.

/* global tf */
import {
  browserEnv, intParam, loadMnistImages, loadWasmModule, log, params, publishResult, setupTfjs, yieldToBrowser,
} from './bench_common.js';

// [SECTION] configuration -----------------------------------------------------------------------

const config = {
  modulePath: params.get('module') || '/build/wasm/bench/browser/bench_sketch_wasm.js',
  neighbours: intParam('neighbours', 10),       // K of the context model (the 10)
  countReps: intParam('countReps', 5),          // timed countings (median), after one untimed
  fvsbnReps: intParam('fvsbnReps', 1),          // timed FVSBN epochs over all images (each ~1-5 s; 0: skip (b))
  batchSize: intParam('batchSize', 100),        // FVSBN minibatch (the 100)
  jsFvsbnImages: intParam('jsFvsbnImages', 2000),    // images of the plain-JS FVSBN slice (0: skip)
  tfjsFvsbnImages: intParam('tfjsFvsbnImages', 2000),  // images of the tfjs FVSBN slice (0: skip)
  sampleReps: intParam('sampleReps', 30),       // timed repetitions per model (median)...
  samplesPerRep: intParam('samplesPerRep', 10), // ...of this many samples each (Chromium's timer
                                                // ticks in 100 µs; one sample can take less)
  sampleWarmup: intParam('sampleWarmup', 3),    // untimed repetitions before them
  nadeHidden: intParam('nadeHidden', 500),      // H of the NADE whose sampler is timed (0: skip)
  tfjs: params.get('tfjs') !== '0',
};
// The goals, headless Chromium, one thread.
const GOALS = { count_ms: 1000, fvsbn_epoch_ms: 5000, sample_ms: 20 };
// kContextTemplate of core/pixel/pixel_model.hpp: (row offset, column offset), nearest first.
const CONTEXT_TEMPLATE = [[0, -1], [-1, 0], [-1, -1], [-1, 1], [0, -2], [-2, 0], [-1, -2], [-2, 1], [-1, 2], [-2, -1], [0, -3], [-2, -2]];
// FvsbnTrainOptions defaults (core/pixel/pixel_model_fvsbn.hpp), mirrored by the JS and tfjs peers.
const FVSBN = { learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, initAlpha: 1 };

// [SECTION] data --------------------------------------------------------------------------------

// pixel ≥ 128 → 1, as core binarize(). (N·D) Uint8Array of 0/1.
function binarize(pixels) {
  const out = new Uint8Array(pixels.length);
  for (let k = 0; k < pixels.length; ++k) out[k] = pixels[k] >= 128 ? 1 : 0;
  return out;
}

// [SECTION] ours (wasm) -------------------------------------------------------------------------

// The core over the module's heap; the data is copied in once (binarized there, not timed).
class Ours {
  constructor(module, train, test) {
    this.m = module;
    this.dim = train.dim;
    const trainPtr = this.upload(train.pixels), testPtr = this.upload(test.pixels);
    this.check(module._bench_set_data(trainPtr, train.count, testPtr, test.count, train.rows, train.cols));
    module._free(trainPtr);
    module._free(testPtr);
    this.samplePtr = module._malloc(this.dim);  // (D) one sample
    this.onesPtr = module._malloc(4 << 12);  // (2^K ≤ 4096) uint32
    this.totalsPtr = module._malloc(4 << 12);
    this.backend = module.UTF8ToString(module._bench_backend_name());
    this.slots = [];
    for (let s = 0; s < module._bench_slot_count(); ++s) this.slots.push(module.UTF8ToString(module._bench_slot_name(s)));
  }
  upload(bytes) {
    const ptr = this.m._malloc(bytes.length);
    if (!ptr) throw new Error(`wasm malloc of ${bytes.length} bytes failed`);
    this.m.HEAPU8.set(bytes, ptr);
    return ptr;
  }
  check(rc) {
    if (rc !== 0) throw new Error(`bench_sketch_wasm: ${this.m.UTF8ToString(this.m._bench_last_error())}`);
  }
  fitIndependent(count = 0) { this.check(this.m._bench_fit_independent(count)); }
  fitContext(neighbours, count = 0) { this.check(this.m._bench_fit_context(neighbours, count)); }
  contextCounts(neighbours) {  // { ones, totals }: (2^K) Uint32Array copies
    this.check(this.m._bench_context_counts(this.onesPtr, this.totalsPtr));
    const n = 1 << neighbours;
    return {
      ones: new Uint32Array(this.m.HEAPU8.buffer, this.onesPtr, n).slice(),
      totals: new Uint32Array(this.m.HEAPU8.buffer, this.totalsPtr, n).slice(),
    };
  }
  fvsbnEpoch(count, batchSize) { this.check(this.m._bench_fvsbn_epoch(count, batchSize)); }
  fitNade(hidden) { this.check(this.m._bench_fit_nade(hidden)); }
  fvsbnBatchLosses() {
    const n = this.m._bench_fvsbn_batch_count();
    return Float64Array.from({ length: n }, (_, k) => this.m._bench_fvsbn_batch_loss(k));
  }
  meanTestNll(slotName, first = 0, count = -1) {
    const nll = this.m._bench_mean_test_nll(this.slots.indexOf(slotName), first, count);
    if (Number.isNaN(nll)) throw new Error(`bench_sketch_wasm: ${this.m.UTF8ToString(this.m._bench_last_error())}`);
    return nll;
  }
  sample(slotName, seed) {  // one completion from pixel 0: (D) Uint8Array copy
    this.check(this.m._bench_sample(this.slots.indexOf(slotName), 0, seed, this.samplePtr));
    return new Uint8Array(this.m.HEAPU8.buffer, this.samplePtr, this.dim).slice();
  }
}

// [SECTION] plain JS ----------------------------------------------------------------------------

// The context counting a web developer would write: for every pixel of every image, the index
// Σ_k x(neighbour k)·2^k (0 outside the image), then ones[c] += x, totals[c] += 1.
// images: (N·D) 0/1 Uint8Array. Returns { ones, totals }: (2^K) Uint32Array.
function jsCountContext(images, count, rows, cols, neighbours) {
  const ones = new Uint32Array(1 << neighbours), totals = new Uint32Array(1 << neighbours);
  const dr = CONTEXT_TEMPLATE.slice(0, neighbours).map((t) => t[0]);
  const dc = CONTEXT_TEMPLATE.slice(0, neighbours).map((t) => t[1]);
  const dim = rows * cols;
  for (let n = 0; n < count; ++n) {
    const base = n * dim;
    for (let r = 0; r < rows; ++r)
      for (let c = 0; c < cols; ++c) {
        let context = 0;
        for (let k = 0; k < neighbours; ++k) {
          const rr = r + dr[k], cc = c + dc[k];
          if (rr < 0 || cc < 0 || cc >= cols) continue;
          context |= images[base + rr * cols + cc] << k;
        }
        ones[context] += images[base + r * cols + c];
        totals[context] += 1;
      }
  }
  return { ones, totals };
}

// Sampling from scratch with the same context counts (α = 1): the JS peer of ours's context
// sample. Returns (D) Uint8Array.
function jsSampleContext(counts, rows, cols, neighbours, random) {
  const x = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; ++r)
    for (let c = 0; c < cols; ++c) {
      let context = 0;
      for (let k = 0; k < neighbours; ++k) {
        const rr = r + CONTEXT_TEMPLATE[k][0], cc = c + CONTEXT_TEMPLATE[k][1];
        if (rr < 0 || cc < 0 || cc >= cols) continue;
        context |= x[rr * cols + cc] << k;
      }
      const p = (counts.ones[context] + 1) / (counts.totals[context] + 2);
      x[r * cols + c] = random() < p ? 1 : 0;
    }
  return x;
}

const softplus = (a) => (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a)));
const sigmoid = (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));

// b_i = logit of the α-smoothed pixel frequencies (core init_from_marginals). (D) Float32Array.
function marginalLogits(images, count, dim) {
  const b = new Float32Array(dim);
  for (let i = 0; i < dim; ++i) {
    let ones = 0;
    for (let n = 0; n < count; ++n) ones += images[n * dim + i];
    const p = Math.min(Math.max((ones + FVSBN.initAlpha) / (count + 2 * FVSBN.initAlpha), 1e-6), 1 - 1e-6);
    b[i] = Math.log(p / (1 - p));
  }
  return b;
}

// The FVSBN of core/pixel/pixel_model.hpp in plain JS, dense loops over Float32Arrays: W packed row by
// row (row i: W_i0..W_i,i−1 at i(i−1)/2), then b; minibatch Adam with the core's defaults.
class JsFvsbn {
  constructor(dim, bias) {
    this.dim = dim;
    this.nw = (dim * (dim - 1)) / 2;
    this.params = new Float32Array(this.nw + dim);  // (P) W, then b
    this.params.set(bias, this.nw);
    this.grad = new Float32Array(this.params.length);
    this.m = new Float32Array(this.params.length);
    this.v = new Float32Array(this.params.length);
    this.t = 0;
    this.logits = new Float32Array(dim);
  }
  // One Adam step on images [first, first + count) of `images` (N·D 0/1). Returns the mean loss.
  trainBatch(images, first, count) {
    const { dim, nw, params: p, grad: g } = this;
    g.fill(0);
    let loss = 0;
    for (let n = first; n < first + count; ++n) {
      const x = n * dim;
      for (let i = 0; i < dim; ++i) {  // A_i = b_i + Σ_{j<i} W_ij x_j
        let a = p[nw + i];
        const row = (i * (i - 1)) / 2;
        for (let j = 0; j < i; ++j) a += p[row + j] * images[x + j];
        const xi = images[x + i];
        loss += softplus(a) - xi * a;
        this.logits[i] = (sigmoid(a) - xi) / count;  // dA
      }
      for (let i = 0; i < dim; ++i) {  // dW_ij += dA_i x_j, db_i += dA_i
        const da = this.logits[i], row = (i * (i - 1)) / 2;
        for (let j = 0; j < i; ++j) g[row + j] += da * images[x + j];
        g[nw + i] += da;
      }
    }
    const { beta1: b1, beta2: b2, epsilon } = FVSBN;
    ++this.t;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    for (let k = 0; k < p.length; ++k) {
      this.m[k] = b1 * this.m[k] + (1 - b1) * g[k];
      this.v[k] = b2 * this.v[k] + (1 - b2) * g[k] * g[k];
      p[k] -= (FVSBN.learningRate * (this.m[k] / c1)) / (Math.sqrt(this.v[k] / c2) + epsilon);
    }
    return loss / count;
  }
}

// [SECTION] tfjs --------------------------------------------------------------------------------

// The same FVSBN in tfjs: W a dense (D, D) variable masked to its strict lower triangle,
// A = X (W ∘ M)ᵀ + b, L = mean_n Σ_i [softplus(A) − X A] (sigmoid cross-entropy), tf.train.adam.
class TfjsFvsbn {
  constructor(dim, bias) {
    this.dim = dim;
    const mask = new Float32Array(dim * dim);
    for (let i = 0; i < dim; ++i) for (let j = 0; j < i; ++j) mask[i * dim + j] = 1;
    this.mask = tf.tensor2d(mask, [dim, dim]);
    this.w = tf.variable(tf.zeros([dim, dim]));
    this.b = tf.variable(tf.tensor1d(bias));
    this.optimizer = tf.train.adam(FVSBN.learningRate, FVSBN.beta1, FVSBN.beta2, FVSBN.epsilon);
  }
  // One Adam step on a (B, D) float32 batch; returns the mean loss (read back: a sync point).
  trainBatch(batchF32, count) {
    const x = tf.tensor2d(batchF32, [count, this.dim]);
    const loss = this.optimizer.minimize(() => {
      const a = tf.matMul(x, tf.mul(this.w, this.mask), false, true).add(this.b);
      return tf.sum(tf.sub(tf.softplus(a), tf.mul(x, a))).div(count);
    }, true, [this.w, this.b]);
    const value = loss.dataSync()[0];
    tf.dispose([x, loss]);
    return value;
  }
  dispose() { tf.dispose([this.mask, this.w, this.b]); this.optimizer.dispose(); }
}

// [SECTION] timing ------------------------------------------------------------------------------

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    median_ms: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min_ms: sorted[0], max_ms: sorted[sorted.length - 1], reps: times.length,
  };
}

// warmup untimed calls, then reps timed ones (fn(rep)); median/min/max in ms, divided by
// `calls` when each fn(rep) makes that many calls of the thing measured.
async function measure(fn, reps, warmup, calls = 1) {
  for (let i = 0; i < warmup; ++i) fn(-1 - i);
  await yieldToBrowser();
  const times = [];
  for (let i = 0; i < reps; ++i) {
    const start = performance.now();
    fn(i);
    times.push((performance.now() - start) / calls);
  }
  await yieldToBrowser();
  return stats(times);
}

// A small seeded generator for the JS sampler (mulberry32).
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [SECTION] main --------------------------------------------------------------------------------

async function run() {
  const result = { ok: false, config, goals: GOALS, env: {}, setup: {}, counting: {}, fvsbn: {}, sampling: {}, checks: {}, notes: [] };
  const started = performance.now();
  result.env = browserEnv();

  log('loading MNIST');
  const { train, test } = await loadMnistImages();
  const { rows, cols, dim } = train;
  const N = train.count, K = config.neighbours;
  let start = performance.now();
  const trainBinary = binarize(train.pixels);
  result.setup.js_binarize_ms = performance.now() - start;
  let ink = 0;
  for (const v of trainBinary) ink += v;
  result.setup.data = { train: N, test: test.count, rows, cols, ink_fraction: ink / trainBinary.length };

  log(`loading ${config.modulePath}`);
  const module = await loadWasmModule(config.modulePath, 'createSketchBenchModule', 'bench_sketch_wasm');
  const ours = new Ours(module, train, test);
  result.env.ours_backend = ours.backend;
  result.env.ours_models = ours.slots;
  if (ours.backend !== 'WebAssembly SIMD128') result.notes.push(`our module runs the ${ours.backend} kernels, not WebAssembly SIMD128`);

  // ---- (a) counting over all N training images
  log(`(a) counting, K = ${K}, ${N} images`);
  const countRows = [];
  countRows.push({ impl: 'ours', what: `ContextModel K=${K} (one pass over ${N} images)`, kind: 'context',
    ...await measure(() => ours.fitContext(K), config.countReps, 1) });
  let jsCounts = null;
  countRows.push({ impl: 'js', what: `plain loop, same template and tables`, kind: 'context',
    ...await measure(() => { jsCounts = jsCountContext(trainBinary, N, rows, cols, K); }, config.countReps, 1) });
  countRows.push({ impl: 'ours', what: `IndependentModel (n1 per pixel)`, kind: 'independent',
    ...await measure(() => ours.fitIndependent(), config.countReps, 1) });
  const oursCounts = ours.contextCounts(K);
  let countMismatches = 0;
  for (let c = 0; c < 1 << K; ++c)
    if (oursCounts.ones[c] !== jsCounts.ones[c] || oursCounts.totals[c] !== jsCounts.totals[c]) ++countMismatches;
  result.checks.context_counts = { cells: 1 << K, mismatches: countMismatches };
  result.counting = { rows: countRows, test_nll: {
    independent: ours.meanTestNll('independent'), context: ours.meanTestNll('context') } };
  for (const row of countRows) log(`  ${row.impl} ${row.what}: median ${row.median_ms.toFixed(1)} ms`);

  // ---- (b) one FVSBN epoch
  log(`(b) FVSBN: ${config.fvsbnReps} epoch(s) over ${N} images, batch ${config.batchSize}`);
  const fvsbnRows = [];
  const epochTimes = [];
  if (config.fvsbnReps < 1) result.notes.push('FVSBN skipped (fvsbnReps 0): no epoch, no FVSBN sample');
  for (let rep = 0; rep < config.fvsbnReps; ++rep) {
    start = performance.now();
    ours.fvsbnEpoch(0, config.batchSize);
    epochTimes.push(performance.now() - start);
    log(`  ours epoch ${rep + 1}: ${epochTimes[rep].toFixed(0)} ms`);
    await yieldToBrowser();
  }
  if (epochTimes.length > 0) {
    fvsbnRows.push({ impl: 'ours', what: `FvsbnTrainer, 1 epoch, ${N} images`, kind: 'epoch', extrapolated: false, ...stats(epochTimes) });
    const losses = ours.fvsbnBatchLosses();
    start = performance.now();
    const fvsbnNll = ours.meanTestNll('fvsbn');
    result.fvsbn.test_nll_ms = performance.now() - start;
    result.fvsbn.test_nll = fvsbnNll;
    result.fvsbn.batches = losses.length;
    result.fvsbn.first_batch_loss = losses[0];
    result.fvsbn.last_batch_loss = losses[losses.length - 1];
    log(`  ours test NLL after 1 epoch: ${fvsbnNll.toFixed(2)} nats (${result.fvsbn.test_nll_ms.toFixed(0)} ms for ${test.count} images)`);
  }

  const bias = marginalLogits(trainBinary, N, dim);
  const B = config.batchSize;
  if (config.jsFvsbnImages > 0 && epochTimes.length > 0) {
    const slice = Math.min(N - B, Math.max(B, config.jsFvsbnImages));
    const js = new JsFvsbn(dim, bias);
    js.trainBatch(trainBinary, 0, B);  // warm-up batch (JIT), not timed
    start = performance.now();
    let loss = 0;
    for (let first = B; first < B + slice; first += B) loss = js.trainBatch(trainBinary, first, Math.min(B, B + slice - first));
    const ms = performance.now() - start;
    const epochMs = (ms * N) / slice;
    fvsbnRows.push({ impl: 'js', what: `plain loops, ${slice} images × ${N / slice} (extrapolated)`, kind: 'epoch',
      extrapolated: true, median_ms: epochMs, min_ms: epochMs, max_ms: epochMs, reps: 1, slice_images: slice, slice_ms: ms,
      last_batch_loss: loss });
    log(`  js: ${slice} images in ${ms.toFixed(0)} ms (last batch loss ${loss.toFixed(1)})`);
    await yieldToBrowser();
  }
  if (config.tfjs && config.tfjsFvsbnImages > 0 && epochTimes.length > 0) {
    try {
      log('  starting tfjs (wasm backend)');
      result.env.tfjs = await setupTfjs();
      const slice = Math.min(N - 2 * B, Math.max(B, config.tfjsFvsbnImages));
      const model = new TfjsFvsbn(dim, bias);
      const batchF32 = (first, count) => new Float32Array(trainBinary.subarray(first * dim, (first + count) * dim));
      model.trainBatch(batchF32(0, B), B);  // two warm-up batches (kernel set-up), not timed
      model.trainBatch(batchF32(B, B), B);
      start = performance.now();
      let loss = 0;
      for (let first = 2 * B; first < 2 * B + slice; first += B) {
        const count = Math.min(B, 2 * B + slice - first);
        loss = model.trainBatch(batchF32(first, count), count);
      }
      const ms = performance.now() - start;
      const epochMs = (ms * N) / slice;
      fvsbnRows.push({ impl: 'tfjs', what: `masked dense W, tf.train.adam, ${slice} images × ${N / slice} (extrapolated)`,
        kind: 'epoch', extrapolated: true, median_ms: epochMs, min_ms: epochMs, max_ms: epochMs, reps: 1,
        slice_images: slice, slice_ms: ms, last_batch_loss: loss });
      log(`  tfjs: ${slice} images in ${ms.toFixed(0)} ms (last batch loss ${loss.toFixed(1)})`);
      model.dispose();
    } catch (error) {
      result.notes.push(`tfjs FVSBN peer failed: ${error && error.message || error}`);
    }
  }
  result.fvsbn.rows = fvsbnRows;

  // ---- (c) one full completion sample (from pixel 0) per model
  const per = config.samplesPerRep;
  log(`(c) sampling: ${config.sampleReps} × ${per} samples per model`);
  const sampleRows = [];
  const labels = { context: `context K=${K}`, fvsbn: 'fvsbn (the epoch above)' };
  if (ours.slots.includes('nade') && config.nadeHidden > 0) {
    ours.fitNade(config.nadeHidden);
    labels.nade = `nade H=${config.nadeHidden} (untrained: same cost)`;
  }
  for (const slot of ours.slots) {
    if ((slot === 'nade' && !labels.nade) || (slot === 'fvsbn' && epochTimes.length === 0)) continue;
    let ones = 0;
    const timing = await measure((rep) => {
      for (let k = 0; k < per; ++k) {
        const x = ours.sample(slot, 1000 + rep * per + k);
        if (rep >= 0) for (const v of x) ones += v;
      }
    }, config.sampleReps, config.sampleWarmup, per);
    sampleRows.push({ impl: 'ours', what: `${labels[slot] || slot}: sample_completions`, kind: slot,
      model: slot, ink_fraction: ones / (dim * config.sampleReps * per), ...timing });
    log(`  ours ${slot}: median ${timing.median_ms.toFixed(3)} ms per sample, ${(100 * sampleRows.at(-1).ink_fraction).toFixed(1)} % ink`);
  }
  const random = mulberry32(7);
  sampleRows.push({ impl: 'js', what: `context K=${K}: plain loop over the same counts`, kind: 'context',
    ...await measure(() => { for (let k = 0; k < per; ++k) jsSampleContext(oursCounts, rows, cols, K, random); },
      config.sampleReps, config.sampleWarmup, per) });
  result.sampling.rows = sampleRows;

  result.total_seconds = (performance.now() - started) / 1000;
  result.ok = true;
  return result;
}

publishResult(run);
