// cnn_run.mjs — runs the MNIST CNN browser benchmark (cnn_bench.html) in headless Chromium and
// prints its table: the core in wasm (CnnTrainer on the default CNN) next to tfjs (wasm backend,
// the convolutions as depth-1 conv3d) — examples/s at steady state and over one epoch, epoch
// seconds, test accuracy, the ratio ours/tfjs — then our forward pass of one digit through every
// layer, the checks and the issue's goals. A benchmark, not a test: it exits 0 whatever the
// figures, non-zero only if the page fails. See bench/README.md.
//   node bench/browser/cnn_run.mjs [--build-dir build/wasm] [--train-count 60000] [--batch-size 16]
//        [--learning-rate 0.004] [--linear 1] [--seed 1] [--warmup 20] [--batches 60] [--reps 3]
//        [--forward-reps 200] [--no-tfjs] [--json out.json]
import { arg, lpad, pad, pageQuery, printLoad, printTrainingChecks, printTrainingTable, runBenchPage, wasmModulePath } from './page_runner.mjs';

// Every option of the page (cnn_bench.js) with its default; the flags are their kebab-case names.
const query = pageQuery(wasmModulePath('cnn_run.mjs', arg('--build-dir', 'build/wasm'), 'bench_cnn_wasm'), {
  batchSize: 16, learningRate: 0.004, linear: 1, seed: 1, trainCount: 60000, warmup: 20, batches: 60, reps: 3,
  forwardReps: 200,
});

// [printing] ------------------------------------------------------------------------------------

const rate = (x) => Math.round(x).toLocaleString('en-US');
const verdict = (ok) => (ok ? 'met' : 'NOT met');

function printRuns(r) {
  printTrainingTable(r);
  console.log(`  test evaluation (${r.data.test.toLocaleString('en-US')} images): ours ${r.ours.epoch.test_eval_ms.toFixed(0)} ms` +
    (r.tfjs ? `, tfjs ${r.tfjs.epoch.test_eval_ms.toFixed(0)} ms` : '') + ' (not in the epoch time)');
  const f = r.ours.forward;
  console.log(`  one digit through every layer (ours, trained net): median ${f.median_ms.toFixed(3)} ms, ` +
    `slowest ${f.max_ms.toFixed(3)} ms of ${f.reps} calls`);
}

function printGoals(r) {
  const g = r.goals, ours = r.ours;
  console.log('\nGoals (ours, headless Chromium):');
  const line = (what, goal, value, ok) => console.log(`  ${pad(what, 42)} ${pad(goal, 10)} ${lpad(value, 9)}   ${verdict(ok)}`);
  line('training examples/s (steady)', `≥ ${rate(g.examples_per_s)}`, rate(ours.steady.examples_per_s),
    ours.steady.examples_per_s >= g.examples_per_s);
  if (r.tfjs) {
    const steady = ours.steady.examples_per_s / r.tfjs.steady.examples_per_s;
    const epoch = ours.epoch.examples_per_s / r.tfjs.epoch.examples_per_s;
    line('examples/s ours / tfjs (steady)', `≥ ${g.ratio}×`, `${steady.toFixed(2)}×`, steady >= g.ratio);
    line('examples/s ours / tfjs (epoch)', `≥ ${g.ratio}×`, `${epoch.toFixed(2)}×`, epoch >= g.ratio);
  }
  const full = r.data.train >= 60000;
  line(`test accuracy after one epoch${full ? '' : ` (of ${r.data.train} only)`}`, `≥ ${g.test_accuracy}`,
    ours.epoch.test_accuracy.toFixed(4), full && ours.epoch.test_accuracy >= g.test_accuracy);
  line('forward pass of one digit, every layer', `≤ ${g.forward_ms} ms`, `${ours.forward.median_ms.toFixed(3)} ms`,
    ours.forward.max_ms <= g.forward_ms);
  console.log('  (ConvNetJS MNIST, measured on this kind of machine: 87 examples/s)');
}

function printReport(r, browserVersion, loadBefore) {
  const c = r.config, d = r.data;
  console.log(`\nChromium ${browserVersion} headless, ${r.env.hardwareConcurrency} logical cores, ` +
    `crossOriginIsolated ${r.env.crossOriginIsolated}`);
  console.log(`ours: bench_cnn_wasm (${r.env.ours_backend}), CnnTrainer, one thread`);
  if (r.env.tfjs) {
    const t = r.env.tfjs;
    console.log(`tfjs ${t.version}, backend ${t.backend}, SIMD ${t.simd}, multithread ${t.multithread} (${t.wasmFile}); ` +
      'its wasm backend has no Conv2DBackpropFilter, so its convolutions are tf.conv3d of depth 1 (the same arithmetic)');
  }
  console.log(`MNIST: ${d.train} training, ${d.test} test images; conv 5×5 ×8 pad 2 > relu > maxpool 2 > conv 5×5 ×16 pad 2 > ` +
    `relu > maxpool 2 > dense 10 (${d.params} parameters), softmax, Adam α ${c.learningRate}` +
    `${c.linear ? ' falling linearly to 0' : ' constant'}, batch ${c.batchSize} (${d.batches_per_epoch} minibatches an epoch), seed ${c.seed}`);
  console.log(`steady state: median of ${c.reps} rounds of ${c.batches} minibatches after ${c.warmup} warm-up ones`);
  printRuns(r);

  printTrainingChecks(r);
  printGoals(r);
  for (const note of r.notes) console.log(`note: ${note}`);
  printLoad(r.total_seconds, loadBefore);
}

// [run] -----------------------------------------------------------------------------------------

await runBenchPage({ runner: 'cnn_run.mjs', page: 'cnn_bench.html', query, jsonOut: arg('--json', null), print: printReport });
