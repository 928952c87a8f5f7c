// run.mjs — runs the browser k-NN benchmark (knn_bench.html) in headless Chromium and prints
// its table: the core's wasm SIMD kernels vs a plain JS loop vs tfjs (wasm backend), one query
// and a batch, with ratios, the checks and the issue's goals. A benchmark, not a test: it
// exits 0 whatever the figures, non-zero only if the page fails. See bench/README.md.
//   node bench/browser/run.mjs [--reps 30] [--warmup 3] [--warmup-ms 300] [--batch 256] [--batch-train 5000]
//        [--batch-reps 20] [--batch-warmup 1] [--full-batch-reps 5] [--query 0]
//        [--build-dir build/wasm] [--no-tfjs] [--json out.json]
import { arg, lpad, pad, pageQuery, printLoad, runBenchPage, wasmModulePath } from './page_runner.mjs';

// The issue's targets for our kernels, one query against 60,000 MNIST images in headless Chromium.
const GOALS_MS = { l2: 3, l1: 2 };

// Every option of the page (knn_bench.js) with its default; the flags are their kebab-case names.
const query = pageQuery(wasmModulePath('run.mjs', arg('--build-dir', 'build/wasm'), 'bench_knn_wasm'), {
  reps: 30, warmup: 3, warmupMs: 300, batch: 256, batchTrain: 5000, batchReps: 20, batchWarmup: 1,
  fullBatchReps: 5, query: 0,
});

// [printing] ------------------------------------------------------------------------------------

// Milliseconds to 3 significant digits or more (2 decimals below 10 ms).
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

// One table: rows of { impl, what, kind, median_ms, min_ms, per_query_ms? }; "vs ours" divides
// each median by ours of the same kind (distances by our distances, top-k by our top-k).
function printTable(title, block) {
  console.log(`\n${title}`);
  const ours = {};  // the first of our rows of each kind is the reference
  for (const row of block.rows) if (row.impl === 'ours' && !(row.kind in ours)) ours[row.kind] = row;
  const perQuery = block.queries > 1;
  console.log(`  ${pad('', 5)} ${pad('what', 58)} ${lpad('median ms', 10)} ${lpad('min ms', 9)}` +
    `${perQuery ? lpad('ms/query', 10) : ''} ${lpad('vs ours', 9)}`);
  for (const row of block.rows) {
    const reference = ours[row.kind];
    const ratio = reference && row !== reference ? `${(row.median_ms / reference.median_ms).toFixed(1)}×` : '1';
    console.log(`  ${pad(row.impl, 5)} ${pad(row.what, 58)} ${lpad(ms(row.median_ms), 10)} ${lpad(ms(row.min_ms), 9)}` +
      `${perQuery ? lpad(row.per_query_ms.toFixed(3), 10) : ''} ${lpad(ratio, 9)}`);
  }
}

function describeCheck(name, check) {
  const lines = [];
  const exactLine = (label, n) => `${label}: ${n === 0 ? 'all equal' : `${n} MISMATCHES`}`;
  if (check.reference) lines.push(`reference: ${check.reference}`);
  if ('ours_u32_vs_exact_mismatches' in check) {
    lines.push(exactLine('ours (uint32) == exact integers (JS)', check.ours_u32_vs_exact_mismatches));
    lines.push(exactLine('ours (float) == JS loop (float) == float(exact)', check.ours_f32_vs_exact_mismatches + check.js_f32_vs_exact_mismatches));
  }
  const topk = (c) => `${c.identical_lists}/${c.queries} lists identical, ${c.same_exact_distances}/${c.queries} same distances`;
  lines.push(`ours top-k vs reference (sorted by distance, index): ${topk(check.ours_topk_vs_reference)}`);
  const tfLine = (label, c) => `${label}: max |error| ${c.max_abs_error.toPrecision(3)}` +
    (c.tolerance === 'exact' ? '' : ` (max ${c.max_error_over_scale.toExponential(1)} of ‖x‖²+‖q‖²)`) +
    `, tolerance ${c.tolerance}: ${c.outside_tolerance === 0 ? 'all within' : `${c.outside_tolerance} OUTSIDE`}`;
  if (check.tfjs_vs_exact) lines.push(tfLine('tfjs vs exact', check.tfjs_vs_exact));
  if (check.tfjs_direct_vs_exact) lines.push(tfLine('tfjs direct form vs exact', check.tfjs_direct_vs_exact));
  if (check.tfjs_topk_vs_reference) lines.push(`tfjs top-k vs reference: ${topk(check.tfjs_topk_vs_reference)}`);
  console.log(`  check ${name}:`);
  for (const line of lines) console.log(`    ${line}`);
}

function printReport(r, browserVersion, loadBefore) {
  const d = r.setup.data;
  console.log(`\nChromium ${browserVersion} headless, ${r.env.hardwareConcurrency} logical cores, ` +
    `crossOriginIsolated ${r.env.crossOriginIsolated} (timer tick ${(r.env.timer_resolution_ms * 1000).toFixed(0)} µs)`);
  console.log(`ours: bench_knn_wasm (${r.env.ours_backend}, core search_one / search, 1 thread)`);
  if (r.env.tfjs) {
    const t = r.env.tfjs;
    console.log(`tfjs ${t.version}, backend ${t.backend}, SIMD ${t.simd}, multithread ${t.multithread} (${t.wasmFile}); ` +
      `training tensor made once in ${ms(r.setup.tfjs_train_tensor_ms)} ms, tfjs memory ${r.setup.tfjs_memory_mb_after_setup.toFixed(0)} MB`);
  }
  console.log(`medians of ${r.config.reps} repetitions after ≥ ${r.config.warmup} warm-up calls and ≥ ${r.config.warmupMs} ms (one query), ` +
    `${r.config.batchReps} after ${r.config.batchWarmup} (batch), ${r.config.fullBatchReps} after ${r.config.batchWarmup} (batch on all rows)`);
  for (const metric of Object.keys(r.single)) {
    const s = r.single[metric], b = r.batch[metric];
    printTable(`== ${s.label}: 1 query (MNIST test image ${d.single_query_test_index}) vs all ${s.train_rows} training images, ${d.dim} uint8 values`, s);
    describeCheck('one query', r.checks[`single_${metric}`]);
    printTable(`== ${b.label}: batch of ${b.queries} test images vs the first ${b.train_rows} of the ${d.train_rows} training images` +
      `${b.train_rows < d.train_rows ? ' (reduced for all three: the JS loop over the full set takes too long)' : ''}`, b);
    describeCheck('batch', r.checks[`batch_${metric}`]);
    const f = r.full_batch[metric];
    if (f) {
      printTable(`== ${f.label}: the same ${f.queries} test images vs all ${f.train_rows} training images ` +
        `(ours${f.rows.some((x) => x.impl === 'tfjs') ? ' and tfjs matMul' : ''} only: the JS loop takes ~15 s and tfjs L1 ~28 s per repetition)`, f);
      describeCheck('full batch', r.checks[`full_batch_${metric}`]);
    }
  }
  console.log('\nGoals (ours, one query vs 60,000 images, median):');
  for (const metric of Object.keys(r.single)) {
    const goal = GOALS_MS[metric];
    if (goal === undefined) continue;
    for (const row of r.single[metric].rows.filter((x) => x.impl === 'ours')) {
      // The in-cache row is a diagnostic (the kernel's cost without memory traffic), not a goal.
      const verdict = row.what.includes('in cache') ? '(floor)' : row.median_ms <= goal ? 'PASS' : 'FAIL';
      console.log(`  ${pad(r.single[metric].label, 10)} ≤ ${goal} ms  ${pad(row.what, 44)} ${lpad(ms(row.median_ms), 6)} ms  ${verdict}`);
    }
  }
  for (const note of r.notes) console.log(`note: ${note}`);
  printLoad(r.total_seconds, loadBefore);
}

// [run] -----------------------------------------------------------------------------------------

await runBenchPage({ runner: 'run.mjs', page: 'knn_bench.html', query, jsonOut: arg('--json', null), print: printReport });
