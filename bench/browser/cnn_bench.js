// cnn_bench.js — the page logic of cnn_bench.html: loads MNIST (IDX bytes and labels from
// node_modules), the core (bench_cnn_wasm, built from cnn_kernels.cpp) and tfjs (wasm backend),
// and times the default CNN of core/conv/cnn.hpp (conv 5×5 ×8 pad 2 → ReLU → max-pool 2 →
// conv 5×5 ×16 pad 2 → ReLU → max-pool 2 → dense 10; softmax, Adam) on both: examples/s over a
// fixed number of minibatches after a warm-up (steady state), then one epoch over the training
// images and the test accuracy after it; last, one test digit through every layer of our trained
// net (the Convolution lab's forward pass of a drawn digit), timed call by call. tfjs starts from
// our initial weights and takes our first epoch's minibatches, so the first minibatch's loss must
// agree. Leaves the report in window.benchResult (cnn_run.mjs prints it; see bench/README.md).
//
// tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel (tf.grad through tf.conv2d
// throws), so the peer builds each conv layer from tf.conv3d with a depth of 1 (NDHWC input
// (B, 1, H, W, C), filter (1, kh, kw, C, F)), which has its backward kernels there: the same
// arithmetic.
//
// Index: [SECTION] configuration, [SECTION] tfjs, [SECTION] main.

/* global tf */
import {
  WasmTrainerRun, browserEnv, fillBatch, intParam, loadMnistImages, loadMnistLabels, loadWasmModule, log, median, orderChecks,
  params, publishResult, setupTfjs, timeOurs, timeTfjs,
} from './bench_common.js';

// [SECTION] configuration -----------------------------------------------------------------------

const config = {
  modulePath: params.get('module') || '/build/wasm/bench/browser/bench_cnn_wasm.js',
  batchSize: intParam('batchSize', 16),            // B (CnnTrainOptions' default)
  learningRate: Number.parseFloat(params.get('learningRate') || '0.004'),  // α (CnnTrainOptions' default)
  linear: intParam('linear', 1) !== 0,             // α falls linearly to 0 over the run (1, the recipe) or stays (0)
  seed: intParam('seed', 1),                       // initial weights and shuffles
  trainCount: intParam('trainCount', 60000),       // the first N training images form the epoch
  warmup: intParam('warmup', 20),                  // untimed minibatches before the steady-state rounds
  batches: intParam('batches', 60),                // minibatches per timed steady-state round...
  reps: intParam('reps', 3),                       // ...and rounds (median)
  forwardReps: intParam('forwardReps', 200),       // one-digit forward passes timed
  tfjs: intParam('tfjs', 1) !== 0,
};
// The goals (Step 10).
const goals = { examples_per_s: 1500, ratio: 1.5, test_accuracy: 0.98, forward_ms: 16 };
// Adam's β₁, β₂, ε: the core's defaults (optim/optimizer.hpp), given to tfjs too (its ε default is 1e-7).
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
const CLASSES = 10, SIDE = 28, DIM = SIDE * SIDE;

// [SECTION] tfjs --------------------------------------------------------------------------------

// The default CNN as tf.variables from our flat parameters (cnn.hpp's layout: per conv layer the
// filters (F, C, kh, kw) then the bias (F); the dense W (784, 10) with its rows in (c, row, col)
// order, then b (10)), rearranged into tfjs's layouts: conv3d filters (1, kh, kw, C, F) and the
// dense rows in NHWC's (row, col, c) order. Trained by tf.train.adam through optimizer.minimize on
// tf.losses.softmaxCrossEntropy (the batch mean, as ours).
class TfjsCnn {
  // testSet() → [pixels (T, 784) bytes, labels (T)], for accuracy().
  constructor(flat, testSet) {
    this.testSet = testSet;
    let at = 0;
    const take = (n) => flat.subarray(at, (at += n));
    const filters = (f, c, k) => tf.tidy(() =>
      tf.variable(tf.tensor4d(take(f * c * k * k), [f, c, k, k]).transpose([2, 3, 1, 0]).reshape([1, k, k, c, f])));
    this.k1 = filters(8, 1, 5);
    this.b1 = tf.variable(tf.tensor1d(take(8)));
    this.k2 = filters(16, 8, 5);
    this.b2 = tf.variable(tf.tensor1d(take(16)));
    this.w3 = tf.tidy(() =>
      tf.variable(tf.tensor4d(take(16 * 7 * 7 * CLASSES), [16, 7, 7, CLASSES]).transpose([1, 2, 0, 3]).reshape([784, CLASSES])));
    this.b3 = tf.variable(tf.tensor1d(take(CLASSES)));
    if (at !== flat.length) throw new Error(`tfjs twin: ${flat.length} parameters, the layout takes ${at}`);
    this.vars = [this.k1, this.b1, this.k2, this.b2, this.w3, this.b3];
    this.optimizer = tf.train.adam(config.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  }

  // x (B, 784) → scores (B, 10). 'same' padding of a 5 × 5 kernel at stride 1 is ours: 2 a side.
  logits(x, rows) {
    const convRelu = (h, side, c, k, b) =>
      tf.relu(tf.add(tf.conv3d(h.reshape([rows, 1, side, side, c]), k, [1, 1, 1], 'same'), b));
    const pool = (h, side, c) => tf.maxPool(h.reshape([rows, side, side, c]), 2, 2, 'valid');
    let h = pool(convRelu(x, 28, 1, this.k1, this.b1), 28, 8);  // (B, 14, 14, 8)
    h = pool(convRelu(h, 14, 8, this.k2, this.b2), 14, 16);      // (B, 7, 7, 16)
    return tf.add(tf.matMul(h.reshape([rows, 784]), this.w3), this.b3);
  }

  // One Adam step on x (B, 784) and one-hot y (B, 10); returns the loss when wanted (a read-back).
  step(xData, yData, rows, wantLoss) {
    return tf.tidy(() => {
      const x = tf.tensor2d(xData, [rows, DIM]);
      const y = tf.tensor2d(yData, [rows, CLASSES]);
      const cost = this.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.logits(x, rows)), wantLoss,
        this.vars);
      return wantLoss ? cost.dataSync()[0] : NaN;
    });
  }

  // Waits for every queued op (the wasm backend runs them synchronously; this is a guard).
  sync() { this.b3.dataSync(); }

  // Accuracy on the test set, in blocks of 500 rows; argmax ties → the first class, as ours.
  accuracy() {
    const [pixels, labels] = this.testSet();
    let correct = 0;
    for (let first = 0; first < labels.length; first += 500) {
      const rows = Math.min(500, labels.length - first);
      const x = new Float32Array(rows * DIM);
      for (let k = 0; k < rows * DIM; ++k) x[k] = pixels[first * DIM + k] / 255;
      const predicted = tf.tidy(() => this.logits(tf.tensor2d(x, [rows, DIM]), rows).argMax(1).dataSync());
      for (let i = 0; i < rows; ++i) correct += predicted[i] === labels[first + i] ? 1 : 0;
    }
    return correct / labels.length;
  }

  dispose() { tf.dispose(this.vars); this.optimizer.dispose(); }
}

// [SECTION] main --------------------------------------------------------------------------------

function checkConfig() {
  for (const [name, value] of Object.entries({ batchSize: config.batchSize, batches: config.batches, reps: config.reps,
    trainCount: config.trainCount, forwardReps: config.forwardReps })) {
    if (!(value >= 1)) throw new Error(`${name}=${value}: need an integer >= 1`);
  }
  if (!(config.warmup >= 0)) throw new Error(`warmup=${config.warmup}: need an integer >= 0`);
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate)))
    throw new Error(`learningRate=${config.learningRate}: need a finite number > 0`);
}

// MNIST with the training set cut to its first config.trainCount images.
async function loadData() {
  const [images, labels] = await Promise.all([loadMnistImages(), loadMnistLabels()]);
  const { train, test } = images;
  if (labels.train.length !== train.count || labels.test.length !== test.count)
    throw new Error(`MNIST: ${train.count}/${test.count} images but ${labels.train.length}/${labels.test.length} labels`);
  if (train.rows !== SIDE || train.cols !== SIDE) throw new Error(`MNIST images are ${train.rows} × ${train.cols}, not 28 × 28`);
  const n = Math.min(config.trainCount, train.count);
  images.train = { ...train, count: n, pixels: train.pixels.subarray(0, n * DIM) };
  labels.train = labels.train.subarray(0, n);
  return { images, labels };
}

// Our one-digit forward pass through every layer, call by call: the median and the slowest ms.
function timeForward(ours, testCount) {
  const times = [];
  for (let r = 0; r < config.forwardReps; ++r) {
    const start = performance.now();
    ours.check(ours.call('forward_one', r % testCount), 'bench_cnn_forward_one');
    times.push(performance.now() - start);
  }
  return { median_ms: median(times), max_ms: Math.max(...times), reps: times.length };
}

async function run() {
  const t0 = performance.now();
  checkConfig();
  log('loading MNIST and the modules');
  const { images, labels } = await loadData();
  const { train, test } = images;
  const ours = new WasmTrainerRun(await loadWasmModule(config.modulePath, 'createCnnBenchModule', 'bench_cnn_wasm'), 'cnn');
  const env = { ...browserEnv(), ours_backend: ours.m.UTF8ToString(ours.m._bench_backend_name()) };
  if (config.tfjs) env.tfjs = await setupTfjs();
  ours.setData(images, labels);
  const perEpoch = Math.ceil(train.count / config.batchSize);
  const startRun = (epochs) => ours.start(config.batchSize, config.learningRate, config.linear ? 1 : 0, epochs, config.seed);
  const notes = [];

  const oursRun = await timeOurs(ours, { startRun, perEpoch, trainCount: train.count, config, logEvery: 1000 });
  const { numParams, initial, order } = oursRun;
  const forward = timeForward(ours, test.count);  // on the net the epoch trained
  log(`ours: one digit through every layer, median ${forward.median_ms.toFixed(3)} ms`);

  // tfjs: the same steady state and epoch, from our initial weights, on our first epoch's order.
  let tfjsRun = null;
  if (config.tfjs) {
    const x = new Float32Array(config.batchSize * DIM), y = new Float32Array(config.batchSize * CLASSES);
    // The core's schedules: α constant, or α (1 − t / T) before minibatch t of the run's T.
    const trainOn = (net, batch, wantLoss, total = perEpoch) => {
      if (config.linear) net.optimizer.learningRate = config.learningRate * (1 - Math.min(batch, total - 1) / total);
      const { rows, xs, ys } = fillBatch({ order, batch, batchSize: config.batchSize, pixels: train.pixels, dim: DIM,
        labels: labels.train, classes: CLASSES }, x, y);
      return net.step(xs, ys, rows, wantLoss);
    };
    const newNet = () => new TfjsCnn(initial, () => [test.pixels, labels.test]);
    tfjsRun = await timeTfjs({ newNet, trainOn, perEpoch, trainCount: train.count, config, logEvery: 1000 });
    notes.push(`tfjs memory after disposing: ${tf.memory().numTensors} tensors`);
  }

  const checks = orderChecks(oursRun.epoch, tfjsRun?.epoch);
  if (!env.crossOriginIsolated)
    notes.push('the page is not cross-origin isolated, so tfjs-wasm runs one thread (as ours does)');
  return {
    ok: true, env, config, goals, checks, notes,
    data: { train: train.count, test: test.count, params: numParams, batches_per_epoch: perEpoch },
    ours: { steady: oursRun.steady, epoch: oursRun.epoch, forward },
    tfjs: tfjsRun,
    total_seconds: (performance.now() - t0) / 1000,
  };
}

publishResult(run);
