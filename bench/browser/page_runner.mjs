// page_runner.mjs — the node side shared by the browser benchmark runners (run.mjs for
// knn_bench.html, sketch_run.mjs for sketch_bench.html): command-line flags, the wasm module's
// path, serving the repo to headless Chromium, opening one bench page and waiting for its
// window.benchResult, and the printing helpers of their tables. The page side is bench_common.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The flags of tests/browser/harness.mjs (WebGL is unused here but keeps the runs alike).
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--enable-webgl',
];
// The longest a page may run before the runner gives up on it.
const PAGE_TIMEOUT_MS = 30 * 60 * 1000;

// [flags] ---------------------------------------------------------------------------------------

// The value after `name` on the command line, or fallback.
export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
export const flag = (name) => process.argv.includes(name);

// The page's query options from the command line: module=modulePath, then each option of
// defaults (camelCase, in that order) from its kebab-case flag (batchTrain from --batch-train)
// or its default, then tfjs=0 with --no-tfjs, else 1.
export function pageQuery(modulePath, defaults) {
  const query = new URLSearchParams({ module: modulePath });
  for (const [name, fallback] of Object.entries(defaults)) {
    query.set(name, arg(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(fallback)));
  }
  query.set('tfjs', flag('--no-tfjs') ? '0' : '1');
  return query;
}

// The URL path (from the repo root) of the Emscripten module `target` built in buildDir; exits 2
// with the command that builds it when it is missing. runner names the script in the message.
export function wasmModulePath(runner, buildDir, target) {
  const modulePath = `/${path.relative(root, path.resolve(root, buildDir, `bench/browser/${target}.js`))}`;
  if (!fs.existsSync(path.join(root, modulePath))) {
    console.error(`${runner}: ${modulePath.slice(1)} is missing; build it first:\n` +
      `  source scripts/env.sh && cmake --preset wasm && cmake --build --preset wasm --target ${target}`);
    process.exit(2);
  }
  return modulePath;
}

// [printing] ------------------------------------------------------------------------------------

export const pad = (s, n) => String(s).padEnd(n);
export const lpad = (s, n) => String(s).padStart(n);

const rate = (x) => Math.round(x).toLocaleString('en-US');

// The trainer benchmarks' table (nn_run.mjs, cnn_run.mjs): ours and tfjs (when it ran), each with
// examples/s at steady state, ms a minibatch, examples/s over the epoch, the epoch's seconds, the
// test accuracy and the first and last minibatch losses; then the ratios and every round.
export function printTrainingTable(r) {
  const rows = [['ours', r.ours]];
  if (r.tfjs) rows.push(['tfjs', r.tfjs]);
  console.log(`\n  ${pad('impl', 5)} ${lpad('examples/s (steady)', 20)} ${lpad('ms/minibatch', 13)} ` +
    `${lpad('examples/s (epoch)', 19)} ${lpad('epoch s', 8)} ${lpad('test accuracy', 14)} ${lpad('loss first → last', 18)}`);
  for (const [impl, x] of rows) {
    console.log(`  ${pad(impl, 5)} ${lpad(rate(x.steady.examples_per_s), 20)} ${lpad(x.steady.ms_per_batch.toFixed(2), 13)} ` +
      `${lpad(rate(x.epoch.examples_per_s), 19)} ${lpad(x.epoch.seconds.toFixed(2), 8)} ` +
      `${lpad(x.epoch.test_accuracy.toFixed(4), 14)} ${lpad(`${x.epoch.first_loss.toFixed(3)} → ${x.epoch.last_loss.toFixed(3)}`, 18)}`);
  }
  if (r.tfjs) {
    const steady = r.ours.steady.examples_per_s / r.tfjs.steady.examples_per_s;
    const epoch = r.ours.epoch.examples_per_s / r.tfjs.epoch.examples_per_s;
    console.log(`  ratio ours/tfjs: steady ${steady.toFixed(2)}×, epoch ${epoch.toFixed(2)}×`);
  }
  console.log(`  rounds (examples/s): ours ${r.ours.steady.rounds_examples_per_s.map(rate).join(', ')}` +
    (r.tfjs ? `; tfjs ${r.tfjs.steady.rounds_examples_per_s.map(rate).join(', ')}` : ''));
}

// The trainer benchmarks' checks: the order tfjs trained on, and the first minibatch's losses.
export function printTrainingChecks(r) {
  console.log('\nChecks:');
  console.log(`  our first epoch's order is the one tfjs trained on: ${r.checks.order_matches ? 'yes' : 'NO'}`);
  if (r.checks.first_loss_diff !== null)
    console.log(`  first minibatch loss, same weights and rows: ours ${r.ours.epoch.first_loss.toFixed(6)}, ` +
      `tfjs ${r.tfjs.epoch.first_loss.toFixed(6)} (|diff| ${r.checks.first_loss_diff.toExponential(1)})`);
}

// The last line of every report: other work on the machine skews every figure (the page runs on
// one core and V8 compiles and collects garbage on others), so the load around the run is printed.
export function printLoad(totalSeconds, loadBefore) {
  console.log(`\n(total ${totalSeconds.toFixed(0)} s in the page; 1-minute load average ${loadBefore.toFixed(1)} before, ` +
    `${os.loadavg()[0].toFixed(1)} after, on ${os.cpus().length} cores: other work running skews the figures)`);
}

// [run] -----------------------------------------------------------------------------------------

// The page ran to the end but reported { ok: false, error }.
export class BenchPageFailed extends Error {}

// Serves the repo, opens bench/browser/<page>?<query> in headless Chromium, relays the page's
// '[bench] ' console lines, waits for window.benchResult and prints the page's problems
// (console errors, page errors, HTTP errors) as `page: ...` lines. Returns { result,
// browserVersion, loadBefore } (the 1-minute load average before the run); throws
// BenchPageFailed when the page reports a failure, and any other error with the problems
// seen so far appended.
export async function openBenchPage(page, query) {
  const loadBefore = os.loadavg()[0];
  const server = await startServer({ port: 0, host: '127.0.0.1', dir: root });
  const url = `http://127.0.0.1:${server.address().port}/bench/browser/${page}?${query}`;
  const problems = [];
  let browser = null;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
    });
    const tab = await browser.newPage();
    tab.on('console', (m) => {
      if (m.text().startsWith('[bench] ')) console.log(`  ${m.text().slice(8)}`);
      else if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    console.log(`opening ${url}`);
    await tab.goto(url);
    await tab.waitForFunction(() => window.benchResult, null, { timeout: PAGE_TIMEOUT_MS, polling: 500 });
    const result = await tab.evaluate(() => window.benchResult);
    for (const problem of problems) console.log(`page: ${problem}`);
    if (!result.ok) throw new BenchPageFailed(`the benchmark page failed:\n${result.error}`);
    return { result, browserVersion: browser.version(), loadBefore };
  } catch (error) {
    if (error instanceof BenchPageFailed || problems.length === 0) throw error;
    throw new Error(`${error.message}\npage problems:\n  ${problems.join('\n  ')}`, { cause: error });
  } finally {
    if (browser) await browser.close();
    server.close();
  }
}

// The whole run of one runner: opens the page, prints its report with
// print(result, browserVersion, loadBefore), writes the result to jsonOut if given, and exits:
// 0 whatever the figures, 1 if the page fails or anything throws (`${runner}: <stack>`).
export async function runBenchPage({ runner, page, query, jsonOut, print }) {
  let exitCode = 0;
  try {
    const { result, browserVersion, loadBefore } = await openBenchPage(page, query);
    print(result, browserVersion, loadBefore);
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(result, null, 2));
  } catch (error) {
    if (error instanceof BenchPageFailed) console.error(error.message);
    else console.error(`${runner}: ${error.stack || error}`);
    exitCode = 1;
  }
  process.exit(exitCode);
}
