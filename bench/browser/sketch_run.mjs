// sketch_run.mjs — runs the Sketch-model browser benchmark (sketch_bench.html) in headless Chromium
// and prints its tables: the core in wasm (context counting, one FVSBN epoch, one completion
// sample per model) next to plain JS and tfjs (wasm backend), with ratios, the checks and the
// issue's goals. A benchmark, not a test: it exits 0 whatever the figures, non-zero only if the
// page fails. See bench/README.md.
//   node bench/browser/sketch_run.mjs [--neighbours 10] [--count-reps 5] [--fvsbn-reps 1]
//        [--batch-size 100] [--js-fvsbn-images 2000] [--tfjs-fvsbn-images 2000] [--sample-reps 30]
//        [--samples-per-rep 10] [--nade-hidden 500] [--build-dir build/wasm] [--no-tfjs] [--json out.json]
import { arg, lpad, pad, pageQuery, printLoad, runBenchPage, wasmModulePath } from './page_runner.mjs';

// Every option of the page (sketch_bench.js) with its default; the flags are their kebab-case names.
const query = pageQuery(wasmModulePath('sketch_run.mjs', arg('--build-dir', 'build/wasm'), 'bench_sketch_wasm'), {
  neighbours: 10, countReps: 5, fvsbnReps: 1, batchSize: 100, jsFvsbnImages: 2000, tfjsFvsbnImages: 2000,
  sampleReps: 30, samplesPerRep: 10, nadeHidden: 500,
});

// [printing] ------------------------------------------------------------------------------------

// Milliseconds to 3 significant digits or more (3 decimals below 1 ms: a sample can take less).
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

// One table: rows of { impl, what, kind, median_ms, min_ms }; "vs ours" divides each median by
// ours of the same kind.
function printTable(title, rows) {
  console.log(`\n${title}`);
  const ours = {};
  for (const row of rows) if (row.impl === 'ours' && !(row.kind in ours)) ours[row.kind] = row;
  console.log(`  ${pad('', 5)} ${pad('what', 66)} ${lpad('median ms', 10)} ${lpad('min ms', 9)} ${lpad('vs ours', 9)}`);
  for (const row of rows) {
    const reference = ours[row.kind];
    const ratio = reference && row !== reference ? `${(row.median_ms / reference.median_ms).toFixed(1)}×` : '1';
    console.log(`  ${pad(row.impl, 5)} ${pad(row.what, 66)} ${lpad(ms(row.median_ms), 10)} ${lpad(ms(row.min_ms), 9)} ${lpad(ratio, 9)}`);
  }
}

function printReport(r, browserVersion, loadBefore) {
  const d = r.setup.data;
  console.log(`\nChromium ${browserVersion} headless, ${r.env.hardwareConcurrency} logical cores, ` +
    `crossOriginIsolated ${r.env.crossOriginIsolated}; everything single-threaded`);
  console.log(`ours: bench_sketch_wasm (${r.env.ours_backend}), models: ${r.env.ours_models.join(', ')}`);
  if (r.env.tfjs) {
    const t = r.env.tfjs;
    console.log(`tfjs ${t.version}, backend ${t.backend}, SIMD ${t.simd}, multithread ${t.multithread}`);
  }
  console.log(`MNIST binarized at 128: ${d.train} training, ${d.test} test images of ${d.rows}×${d.cols}, ` +
    `${(100 * d.ink_fraction).toFixed(1)} % ink`);

  printTable(`== (a) counting over all ${d.train} training images (median of ${r.config.countReps} after 1 warm-up)`, r.counting.rows);
  const cc = r.checks.context_counts;
  console.log(`  check: ours == JS counts in all ${cc.cells} contexts: ${cc.mismatches === 0 ? 'yes' : `NO, ${cc.mismatches} differ`}`);
  console.log(`  test NLL (10,000 images): independent ${r.counting.test_nll.independent.toFixed(2)}, ` +
    `context K=${r.config.neighbours} ${r.counting.test_nll.context.toFixed(2)} nats`);

  if (r.fvsbn.rows.length > 0) {
    printTable(`== (b) one FVSBN epoch, ${d.train} images, minibatch Adam, batch ${r.config.batchSize}` +
      ` (JS and tfjs: timed on a slice after a warm-up batch, then × ${d.train}/slice)`, r.fvsbn.rows);
    for (const row of r.fvsbn.rows.filter((x) => x.extrapolated))
      console.log(`  ${row.impl}: ${row.slice_images} images took ${ms(row.slice_ms)} ms (last batch loss ${row.last_batch_loss.toFixed(1)} nats)`);
    console.log(`  ours: ${r.fvsbn.batches} batches, loss ${r.fvsbn.first_batch_loss.toFixed(1)} → ${r.fvsbn.last_batch_loss.toFixed(1)} nats; ` +
      `test NLL after the epoch ${r.fvsbn.test_nll.toFixed(2)} nats (expected ≈ 80.7; evaluated in ${ms(r.fvsbn.test_nll_ms)} ms)`);
  }

  printTable(`== (c) one full ${d.rows}×${d.cols} completion sample from pixel 0, T = 1 (per sample: median of ` +
    `${r.config.sampleReps} repetitions of ${r.config.samplesPerRep} samples, after ${r.config.sampleWarmup})`, r.sampling.rows);
  console.log(`  ink in our samples: ${r.sampling.rows.filter((x) => x.impl === 'ours')
    .map((x) => `${x.model} ${(100 * x.ink_fraction).toFixed(1)} %`).join(', ')} (MNIST: ${(100 * d.ink_fraction).toFixed(1)} %)`);

  const g = r.goals;
  const verdict = (x, goal) => (x <= goal ? 'met' : 'MISSED');
  console.log('\nGoals (ours, headless Chromium, median):');
  const context = r.counting.rows.find((x) => x.impl === 'ours' && x.kind === 'context');
  console.log(`  ${pad(`count K=${r.config.neighbours} context model, ${d.train} images`, 48)} ≤ ${lpad(g.count_ms, 5)} ms  ${lpad(ms(context.median_ms), 8)} ms  ${verdict(context.median_ms, g.count_ms)}`);
  const epoch = r.fvsbn.rows.find((x) => x.impl === 'ours');
  if (epoch) console.log(`  ${pad(`one FVSBN epoch, ${d.train} images`, 48)} ≤ ${lpad(g.fvsbn_epoch_ms, 5)} ms  ${lpad(ms(epoch.median_ms), 8)} ms  ${verdict(epoch.median_ms, g.fvsbn_epoch_ms)}`);
  for (const row of r.sampling.rows.filter((x) => x.impl === 'ours'))
    console.log(`  ${pad(`one ${d.rows}×${d.cols} sample, ${row.model}`, 48)} ≤ ${lpad(g.sample_ms, 5)} ms  ${lpad(ms(row.median_ms), 8)} ms  ${verdict(row.median_ms, g.sample_ms)}`);
  for (const note of r.notes) console.log(`note: ${note}`);
  printLoad(r.total_seconds, loadBefore);
}

// [run] -----------------------------------------------------------------------------------------

await runBenchPage({ runner: 'sketch_run.mjs', page: 'sketch_bench.html', query, jsonOut: arg('--json', null), print: printReport });
