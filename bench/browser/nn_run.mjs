// nn_run.mjs — runs the MNIST MLP browser benchmark (nn_bench.html) in headless Chromium and
// prints its table: the core in wasm (MlpTrainer) next to tfjs (wasm backend) on one epoch of a
// 784-100-10 ReLU net, Adam, batch 100 — examples/s at steady state and over the epoch, epoch
// seconds, test accuracy, the ratio ours/tfjs, the checks and the issue's goals. A benchmark, not
// a test: it exits 0 whatever the figures, non-zero only if the page fails. See bench/README.md.
//   node bench/browser/nn_run.mjs [--build-dir build/wasm] [--batches 100] [--reps 3] [--warmup 100]
//        [--hidden 100] [--batch-size 100] [--learning-rate 0.004] [--seed 1] [--no-tfjs] [--json out.json]
import { arg, lpad, pad, pageQuery, printLoad, printTrainingChecks, printTrainingTable, runBenchPage, wasmModulePath } from './page_runner.mjs';

// Every option of the page (nn_bench.js) with its default; the flags are their kebab-case names.
const query = pageQuery(wasmModulePath('nn_run.mjs', arg('--build-dir', 'build/wasm'), 'bench_nn_wasm'), {
  hidden: 100, batchSize: 100, learningRate: 0.01, seed: 1, warmup: 100, batches: 100, reps: 3,
});

// [printing] ------------------------------------------------------------------------------------


function printReport(r, browserVersion, loadBefore) {
  const c = r.config, d = r.data;
  console.log(`\nChromium ${browserVersion} headless, ${r.env.hardwareConcurrency} logical cores, ` +
    `crossOriginIsolated ${r.env.crossOriginIsolated}`);
  console.log(`ours: bench_nn_wasm (${r.env.ours_backend}), MlpTrainer, one thread`);
  if (r.env.tfjs) {
    const t = r.env.tfjs;
    console.log(`tfjs ${t.version}, backend ${t.backend}, SIMD ${t.simd}, multithread ${t.multithread} (${t.wasmFile})`);
  }
  console.log(`MNIST: ${d.train} training, ${d.test} test images; ${d.dim}-${c.hidden}-10 ReLU (${d.params} parameters), ` +
    `softmax, Adam α ${c.learningRate} falling linearly to 0, batch ${c.batchSize} (${d.batches_per_epoch} minibatches an epoch), seed ${c.seed}`);
  console.log(`steady state: median of ${c.reps} rounds of ${c.batches} minibatches after ${c.warmup} warm-up ones`);

  printTrainingTable(r);
  const steadyRatio = r.tfjs ? r.ours.steady.examples_per_s / r.tfjs.steady.examples_per_s : null;
  const epochRatio = r.tfjs ? r.ours.epoch.examples_per_s / r.tfjs.epoch.examples_per_s : null;
  console.log(`  test evaluation (10,000 images): ours ${r.ours.epoch.test_eval_ms.toFixed(0)} ms` +
    (r.tfjs ? `, tfjs ${r.tfjs.epoch.test_eval_ms.toFixed(0)} ms` : '') + ' (not in the epoch time)');

  printTrainingChecks(r);

  const g = r.goals;
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  console.log('\nGoals (ours, headless Chromium):');
  console.log(`  ${pad(`one epoch, ${d.train} images`, 40)} ≤ ${g.epoch_seconds} s     ${lpad(r.ours.epoch.seconds.toFixed(2), 7)} s   ` +
    verdict(r.ours.epoch.seconds <= g.epoch_seconds));
  if (r.tfjs) {
    console.log(`  ${pad('examples/s ours / tfjs (steady)', 40)} ≥ ${g.ratio}×      ${lpad(steadyRatio.toFixed(2), 7)}×   ${verdict(steadyRatio >= g.ratio)}`);
    console.log(`  ${pad('examples/s ours / tfjs (epoch)', 40)} ≥ ${g.ratio}×      ${lpad(epochRatio.toFixed(2), 7)}×   ${verdict(epochRatio >= g.ratio)}`);
  }
  console.log(`  ${pad('test accuracy after one epoch', 40)} ≥ ${g.test_accuracy}  ${lpad(r.ours.epoch.test_accuracy.toFixed(4), 7)}    ` +
    verdict(r.ours.epoch.test_accuracy >= g.test_accuracy));
  console.log('  (ConvNetJS, the issue\'s reference for an MLP of this size: 711 examples/s)');
  for (const note of r.notes) console.log(`note: ${note}`);
  printLoad(r.total_seconds, loadBefore);
}

// [run] -----------------------------------------------------------------------------------------

await runBenchPage({ runner: 'nn_run.mjs', page: 'nn_bench.html', query, jsonOut: arg('--json', null), print: printReport });
