// nn_bench.js — the page logic of nn_bench.html: loads MNIST (IDX bytes and labels from
// node_modules), the core (bench_nn_wasm, built from nn_kernels.cpp) and tfjs (wasm backend), and
// times the 784-100-10 ReLU MLP (softmax, Adam, batch 100) on both: examples/s over a fixed number
// of minibatches after a warm-up (steady state), then one full epoch over all 60,000 images and the
// test accuracy after it. tfjs starts from our initial weights and takes our first epoch's
// minibatches, so the first minibatch's loss must agree. Leaves the report in window.benchResult
// (nn_run.mjs prints it; see bench/README.md).
//
// Index: [SECTION] configuration, [SECTION] tfjs, [SECTION] main.

/* global tf */
import {
  WasmTrainerRun, browserEnv, fillBatch, intParam, loadMnistImages, loadMnistLabels, loadWasmModule, log, orderChecks, params,
  publishResult, setupTfjs, timeOurs, timeTfjs,
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

// [SECTION] tfjs --------------------------------------------------------------------------------

// The same net as tf.variables from our flat parameters (mlp.hpp's layout: W(0) (D, H) row-major,
// b(0) (H), W(1) (H, C), b(1) (C)), trained by tf.train.adam through optimizer.minimize on
// tf.losses.softmaxCrossEntropy (the batch mean, as ours).
class TfjsMlp {
  // testSet() → [pixels (T, D) bytes, labels (T)], for accuracy().
  constructor(flat, dim, hidden, testSet) {
    this.dim = dim;
    this.testSet = testSet;
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

  // Accuracy on the test set, in blocks of 1,000 rows; argmax ties → the first class, as ours.
  accuracy() {
    const [pixels, labels] = this.testSet(), dim = this.dim;
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
  const ours = new WasmTrainerRun(await loadWasmModule(config.modulePath, 'createNnBenchModule', 'bench_nn_wasm'), 'nn');
  const startRun = (epochs) => ours.start(config.hidden, config.batchSize, config.learningRate, epochs, config.seed);
  const env = { ...browserEnv(), ours_backend: ours.m.UTF8ToString(ours.m._bench_backend_name()) };
  if (config.tfjs) env.tfjs = await setupTfjs();
  ours.setData(images, labels);
  const perEpoch = Math.ceil(train.count / config.batchSize);
  const notes = [];

  const oursRun = await timeOurs(ours, { startRun, perEpoch, trainCount: train.count, config });
  const { numParams, initial, order } = oursRun;

  // tfjs: the same steady state and epoch, from our initial weights, on our first epoch's order.
  let tfjsRun = null;
  if (config.tfjs) {
    const x = new Float32Array(config.batchSize * train.dim), y = new Float32Array(config.batchSize * CLASSES);
    // The core's LrSchedule::Linear: α (1 − t / T) before minibatch t of the run's T (tfjs's Adam
    // reads its learningRate at every step).
    const trainOn = (net, batch, wantLoss, total = perEpoch) => {
      net.optimizer.learningRate = config.learningRate * (1 - Math.min(batch, total - 1) / total);
      const { rows, xs, ys } = fillBatch({ order, batch, batchSize: config.batchSize, pixels: train.pixels, dim: train.dim,
        labels: labels.train, classes: CLASSES }, x, y);
      return net.step(xs, ys, rows, train.dim, wantLoss);
    };
    const newNet = () => new TfjsMlp(initial, train.dim, config.hidden, () => [test.pixels, labels.test]);
    tfjsRun = await timeTfjs({ newNet, trainOn, perEpoch, trainCount: train.count, config });
    notes.push(`tfjs memory after disposing: ${tf.memory().numTensors} tensors`);
  }

  const checks = orderChecks(oursRun.epoch, tfjsRun?.epoch);
  if (!env.crossOriginIsolated)
    notes.push('the page is not cross-origin isolated, so tfjs-wasm runs one thread (as ours does)');
  return {
    ok: true, env, config, goals, checks, notes,
    data: { train: train.count, test: test.count, dim: train.dim, params: numParams, batches_per_epoch: perEpoch },
    ours: { steady: oursRun.steady, epoch: oursRun.epoch },
    tfjs: tfjsRun,
    total_seconds: (performance.now() - t0) / 1000,
  };
}

publishResult(run);
