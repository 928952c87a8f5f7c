// nn_bench.js — the page logic of nn_bench.html: loads MNIST (IDX bytes and labels from
// node_modules), the core (bench_nn_wasm, built from nn_kernels.cpp) and tfjs (wasm backend), and
// times the 784-100-10 ReLU MLP (softmax, Adam, batch 100) on both: examples/s over a fixed number
// of minibatches after a warm-up (steady state), then one full epoch over all 60,000 images and the
// test accuracy after it. tfjs starts from our initial weights and takes our first epoch's
// minibatches, so the first minibatch's loss must agree. Leaves the report in window.benchResult
// (nn_run.mjs prints it; see bench/README.md).
//
// Index: [SECTION] configuration, [SECTION] ours (wasm), [SECTION] tfjs, [SECTION] timing,
// [SECTION] main.

/* global tf */
import {
  browserEnv, intParam, loadMnistImages, loadMnistLabels, loadWasmModule, log, params, publishResult, setupTfjs,
  yieldToBrowser,
} from './bench_common.js';

// [SECTION] configuration -----------------------------------------------------------------------

const config = {
  modulePath: params.get('module') || '/build/wasm/bench/browser/bench_nn_wasm.js',
  hidden: intParam('hidden', 100),                 // H of D-H-10 (the 100)
  batchSize: intParam('batchSize', 100),           // B (the 100)
  // α of `implay nn train --data mnist` (cmd_nn.cpp: 0.01, falling linearly to 0 over the run)
  learningRate: Number.parseFloat(params.get('learningRate') || '0.01'),
  seed: intParam('seed', 1),                       // initial weights and shuffles (the CLI's default 1)
  warmup: intParam('warmup', 100),                 // untimed minibatches before the steady-state rounds
  batches: intParam('batches', 100),               // minibatches per timed steady-state round...
  reps: intParam('reps', 3),                       // ...and rounds (median)
  tfjs: intParam('tfjs', 1) !== 0,
};
// The goals (Step 9).
const goals = { epoch_seconds: 3, ratio: 2, test_accuracy: 0.965 };
// Adam's β₁, β₂, ε: the core's defaults (optim/optimizer.hpp), given to tfjs too (its ε default is 1e-7).
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const CLASSES = 10;

// [SECTION] ours (wasm) -------------------------------------------------------------------------

class Ours {
  constructor(module) { this.m = module; }

  check(code, what) {
    if (code < 0) throw new Error(`${what}: ${this.m.UTF8ToString(this.m._bench_last_error())}`);
    return code;
  }

  copyIn(bytes) {
    const ptr = this.m._malloc(bytes.length);
    this.m.HEAPU8.set(bytes, ptr);
    return ptr;
  }

  setData(images, labels) {
    const ptrs = [images.train.pixels, labels.train, images.test.pixels, labels.test].map((b) => this.copyIn(b));
    try {
      this.check(this.m._bench_set_data(ptrs[0], ptrs[1], images.train.count, ptrs[2], ptrs[3], images.test.count,
        images.train.rows, images.train.cols), 'bench_set_data');
    } finally {
      for (const p of ptrs) this.m._free(p);
    }
  }

  // A fresh run of `epochs` epochs; returns P.
  start(epochs) {
    return this.check(this.m._bench_nn_start(config.hidden, config.batchSize, config.learningRate, epochs, config.seed),
      'bench_nn_start');
  }
  step(units) { return this.check(this.m._bench_nn_step(units), 'bench_nn_step'); }  // minibatches done in all
  batchLoss(i) { return this.m._bench_nn_batch_loss(i); }
  testAccuracy() { return this.check(this.m._bench_nn_test_accuracy(), 'bench_nn_test_accuracy'); }
  orderMatches() { return this.m._bench_nn_check_order(); }
  // Copies (they outlive the next start): initial params (P) and first-epoch order (N).
  initialParams(count) { return new Float32Array(this.m.HEAPF32.buffer, this.m._bench_nn_initial_params(), count).slice(); }
  firstEpochOrder(count) { return new Int32Array(this.m.HEAP32.buffer, this.m._bench_nn_first_epoch_order(), count).slice(); }
}

// [SECTION] tfjs --------------------------------------------------------------------------------

// The same net as tf.variables from our flat parameters (mlp.hpp's layout: W(0) (D, H) row-major,
// b(0) (H), W(1) (H, C), b(1) (C)), trained by tf.train.adam through optimizer.minimize on
// tf.losses.softmaxCrossEntropy (the batch mean, as ours).
class TfjsMlp {
  constructor(flat, dim, hidden) {
    let at = 0;
    const take = (n) => flat.subarray(at, (at += n));
    this.w1 = tf.variable(tf.tensor2d(take(dim * hidden), [dim, hidden]));
    this.b1 = tf.variable(tf.tensor1d(take(hidden)));
    this.w2 = tf.variable(tf.tensor2d(take(hidden * CLASSES), [hidden, CLASSES]));
    this.b2 = tf.variable(tf.tensor1d(take(CLASSES)));
    if (at !== flat.length) throw new Error(`tfjs twin: ${flat.length} parameters, the layout takes ${at}`);
    this.optimizer = tf.train.adam(config.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  }

  logits(x) { return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, this.w1), this.b1)), this.w2), this.b2); }

  // One Adam step on x (B, D) and one-hot y (B, C); returns the loss when wanted (a read-back).
  step(xData, yData, rows, dim, wantLoss) {
    return tf.tidy(() => {
      const x = tf.tensor2d(xData, [rows, dim]);
      const y = tf.tensor2d(yData, [rows, CLASSES]);
      const cost = this.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.logits(x)), wantLoss,
        [this.w1, this.b1, this.w2, this.b2]);
      return wantLoss ? cost.dataSync()[0] : NaN;
    });
  }

  // Waits for every queued op (the wasm backend runs them synchronously; this is a guard).
  sync() { this.b2.dataSync(); }

  // Accuracy on pixels (T, D) bytes / labels (T), in blocks of 1,000 rows; argmax ties → the
  // first class, as ours.
  accuracy(pixels, labels, dim) {
    let correct = 0;
    for (let first = 0; first < labels.length; first += 1000) {
      const rows = Math.min(1000, labels.length - first);
      const x = new Float32Array(rows * dim);
      for (let k = 0; k < rows * dim; ++k) x[k] = pixels[first * dim + k] / 255;
      const predicted = tf.tidy(() => this.logits(tf.tensor2d(x, [rows, dim])).argMax(1).dataSync());
      for (let i = 0; i < rows; ++i) correct += predicted[i] === labels[first + i] ? 1 : 0;
    }
    return correct / labels.length;
  }

  dispose() { tf.dispose([this.w1, this.b1, this.w2, this.b2]); this.optimizer.dispose(); }
}

// Minibatch `batch` of `order` (cycled) as features (pixels / 255, the core's "pixels" with
// scaling=unit, in float32 as it computes them) and one-hot labels, into x (B, D) and y (B, C).
function fillBatch(order, batch, images, labels, x, y) {
  const { pixels, dim } = images;
  const b = config.batchSize, perEpoch = Math.ceil(order.length / b);
  const first = (batch % perEpoch) * b, rows = Math.min(b, order.length - first);
  y.fill(0);
  for (let i = 0; i < rows; ++i) {
    const row = order[first + i];
    for (let k = 0; k < dim; ++k) x[i * dim + k] = pixels[row * dim + k] / 255;
    y[i * CLASSES + labels[row]] = 1;
  }
  return rows;
}

// [SECTION] timing ------------------------------------------------------------------------------

const median = (values) => {
  const s = [...values].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// Steady state: `warmup` untimed minibatches, then config.reps rounds of config.batches, each
// timed; runRound(n) trains n minibatches and returns how many it trained. Examples/s of each
// round, the median, and ms per minibatch at the median.
async function steadyState(runRound) {
  runRound(config.warmup);
  await yieldToBrowser();
  const rounds = [];
  for (let r = 0; r < config.reps; ++r) {
    const start = performance.now();
    const done = runRound(config.batches);
    const seconds = (performance.now() - start) / 1000;
    rounds.push(done * config.batchSize / seconds);
    await yieldToBrowser();
  }
  const examplesPerSecond = median(rounds);
  return { examples_per_s: examplesPerSecond, ms_per_batch: 1000 * config.batchSize / examplesPerSecond,
    rounds_examples_per_s: rounds, batches: config.batches, reps: config.reps, warmup: config.warmup };
}

// [SECTION] main --------------------------------------------------------------------------------

async function run() {
  const t0 = performance.now();
  for (const [name, value] of Object.entries({ hidden: config.hidden, batchSize: config.batchSize, batches: config.batches,
    reps: config.reps })) {
    if (!(value >= 1)) throw new Error(`${name}=${value}: need an integer >= 1`);
  }
  if (!(config.warmup >= 0)) throw new Error(`warmup=${config.warmup}: need an integer >= 0`);

  log('loading MNIST and the modules');
  const [images, labels] = await Promise.all([loadMnistImages(), loadMnistLabels()]);
  const { train, test } = images;
  if (labels.train.length !== train.count || labels.test.length !== test.count)
    throw new Error(`MNIST: ${train.count}/${test.count} images but ${labels.train.length}/${labels.test.length} labels`);
  const ours = new Ours(await loadWasmModule(config.modulePath, 'createNnBenchModule', 'bench_nn_wasm'));
  const env = { ...browserEnv(), ours_backend: ours.m.UTF8ToString(ours.m._bench_backend_name()) };
  if (config.tfjs) env.tfjs = await setupTfjs();
  ours.setData(images, labels);
  const perEpoch = Math.ceil(train.count / config.batchSize);
  const notes = [];

  // (1) Ours, steady state: one long run (epochs enough for warm-up and every round; an epoch's
  // end costs one evaluation unit of one training row, so rounds count the minibatches done).
  log(`ours: steady state, ${config.warmup} + ${config.reps} × ${config.batches} minibatches`);
  ours.start(Math.ceil((config.warmup + config.reps * config.batches + config.reps) / perEpoch));
  let oursDone = 0;
  const oursSteady = await steadyState((n) => {
    const before = oursDone;
    oursDone = ours.step(n);
    return oursDone - before;
  });

  // (2) Ours, one epoch from a fresh start (the module is warm now), then the test set.
  log('ours: one epoch');
  const numParams = ours.start(1);
  const initial = ours.initialParams(numParams);
  const order = ours.firstEpochOrder(train.count);
  let start = performance.now();
  const oursBatches = ours.step(perEpoch);
  const oursEpochSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const oursAccuracy = ours.testAccuracy();
  const oursEvalMs = performance.now() - start;
  const oursEpoch = {
    seconds: oursEpochSeconds, batches: oursBatches, examples_per_s: train.count / oursEpochSeconds,
    test_accuracy: oursAccuracy, test_eval_ms: oursEvalMs,
    first_loss: ours.batchLoss(0), last_loss: ours.batchLoss(oursBatches - 1), order_check: ours.orderMatches(),
  };
  log(`ours: epoch ${oursEpochSeconds.toFixed(2)} s, test accuracy ${oursAccuracy.toFixed(4)}`);
  await yieldToBrowser();

  // (3) tfjs: the same steady state and epoch, from our initial weights, on our first epoch's order.
  let tfjsSteady = null, tfjsEpoch = null;
  if (config.tfjs) {
    const x = new Float32Array(config.batchSize * train.dim), y = new Float32Array(config.batchSize * CLASSES);
    // The core's LrSchedule::Linear: α (1 − t / T) before minibatch t of the run's T (tfjs's Adam
    // reads its learningRate at every step).
    const trainOn = (net, batch, wantLoss, total = perEpoch) => {
      net.optimizer.learningRate = config.learningRate * (1 - Math.min(batch, total - 1) / total);
      const rows = fillBatch(order, batch, train, labels.train, x, y);
      const xs = rows === config.batchSize ? x : x.subarray(0, rows * train.dim);
      const ys = rows === config.batchSize ? y : y.subarray(0, rows * CLASSES);
      return net.step(xs, ys, rows, train.dim, wantLoss);
    };

    log(`tfjs: steady state, ${config.warmup} + ${config.reps} × ${config.batches} minibatches`);
    let net = new TfjsMlp(initial, train.dim, config.hidden);
    let next = 0;
    tfjsSteady = await steadyState((n) => {
      for (let i = 0; i < n; ++i) trainOn(net, next++, false);
      net.sync();
      return n;
    });
    net.dispose();

    log('tfjs: one epoch');
    net = new TfjsMlp(initial, train.dim, config.hidden);
    start = performance.now();
    const firstLoss = trainOn(net, 0, true);  // one read-back, for the check below
    for (let b = 1; b < perEpoch - 1; ++b) trainOn(net, b, false);
    const lastLoss = perEpoch > 1 ? trainOn(net, perEpoch - 1, true) : firstLoss;
    net.sync();
    const seconds = (performance.now() - start) / 1000;
    start = performance.now();
    const accuracy = net.accuracy(test.pixels, labels.test, test.dim);
    tfjsEpoch = {
      seconds, batches: perEpoch, examples_per_s: train.count / seconds, test_accuracy: accuracy,
      test_eval_ms: performance.now() - start, first_loss: firstLoss, last_loss: lastLoss,
    };
    net.dispose();
    log(`tfjs: epoch ${seconds.toFixed(2)} s, test accuracy ${accuracy.toFixed(4)}`);
    notes.push(`tfjs memory after disposing: ${tf.memory().numTensors} tensors`);
  }

  const checks = {
    // The trainer's first minibatch is the first B rows of the order handed to tfjs (1 = yes).
    order_matches: oursEpoch.order_check === 1,
    // Same weights, same minibatch: the first loss must agree to float rounding.
    first_loss_diff: tfjsEpoch ? Math.abs(tfjsEpoch.first_loss - oursEpoch.first_loss) : null,
  };
  if (!env.crossOriginIsolated)
    notes.push('the page is not cross-origin isolated, so tfjs-wasm runs one thread (as ours does)');
  return {
    ok: true, env, config, goals, checks, notes,
    data: { train: train.count, test: test.count, dim: train.dim, params: numParams, batches_per_epoch: perEpoch },
    ours: { steady: oursSteady, epoch: oursEpoch },
    tfjs: tfjsEpoch ? { steady: tfjsSteady, epoch: tfjsEpoch } : null,
    total_seconds: (performance.now() - t0) / 1000,
  };
}

publishResult(run);
