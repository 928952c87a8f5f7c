// sketch.test.mjs — the Sketch model lab in the page: the count model trained on the loaded MNIST
// (far below the independent baseline); strokes by mouse and by touch change log p(sketch);
// completions render; the aggregation tree's leaves multiply out to their joint probability;
// FVSBN trains in frame slices (progress, frames keep coming, its NLL lands in the table) and
// NADE training can be cancelled; your sketches persist across a reload, export as an IDX file,
// import again, and a corrupt import is refused with the set kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSession, openLab, closeLab, waitForApp, waitFrames, framesDuringWork, screenshot, scrollIntoView } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const centre = (r) => [r.x + r.w / 2, r.y + r.h / 2];

async function openSketchLab(query) {
  const opened = await openLab(session, `?lab=sketch&${query}`);
  await opened.page.waitForFunction(() => window.implay.state().sketch.test_nll > 0, null, { timeout: 60000 });
  return opened;
}

// A vertical mouse stroke down the middle of the canvas, from 20 % to 68 % of its height.
async function drawStroke(page, c, x = 0.5) {
  await page.mouse.move(c.x + c.w * x, c.y + c.h * 0.2);
  await page.mouse.down();
  for (let i = 1; i <= 12; ++i) {
    await page.mouse.move(c.x + c.w * x, c.y + c.h * (0.2 + 0.04 * i));
    await waitFrames(page, 1);  // each frame sees one short segment, as with a real hand
  }
  await page.mouse.up();
  await waitFrames(page);
}

// The pixels of an IDX images file as [count, rows, cols, ink pixels].
function idxSummary(bytes) {
  assert.equal(bytes.readUInt32BE(0), 0x803, 'an IDX images file');
  const [n, rows, cols] = [bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt32BE(12)];
  let ink = 0;
  for (let i = 16; i < bytes.length; ++i) ink += bytes[i] === 255 ? 1 : 0;
  return [n, rows, cols, ink];
}

test('draw a vertical stroke: log p changes, the model completes the sketch', async () => {
  const { page, context, problems, warnings } = await openSketchLab('template=10&temperature=1&row=14');
  let s = await state(page);
  console.log(`  default subset: context model (K = 10) test NLL ${s.sketch.test_nll.toFixed(2)} nats, independent ${s.sketch.baseline_nll.toFixed(2)}`);
  assert.ok(s.sketch.test_nll < 0.6 * s.sketch.baseline_nll);
  assert.equal(s.sketch.completion_start, 14 * 28);
  const empty = s.sketch.log_p;
  await drawStroke(page, s.sketch.canvas);
  s = await state(page);
  assert.ok(s.sketch.ink >= 8, `ink pixels ${s.sketch.ink}`);
  assert.notEqual(s.sketch.log_p, empty);
  assert.ok(s.sketch.completion_ink > 0, 'the completions hold ink');
  assert.ok(s.sketch.completion_ms < 20, `one completion ${s.sketch.completion_ms} ms`);
  await screenshot(page, 'sketch-stroke');
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  await closeLab(context, problems);
});

test('a stroke drawn by touch paints the canvas too', async () => {
  const { page, context, problems } = await openSketchLab('');
  const c = (await state(page)).sketch.canvas;
  const cdp = await context.newCDPSession(page);
  const point = (fx, fy) => [{ x: c.x + c.w * fx, y: c.y + c.h * fy }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(0.3, 0.5) });
  for (let i = 1; i <= 10; ++i) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(0.3 + 0.04 * i, 0.5) });
    await waitFrames(page, 1);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await waitFrames(page);
  const s = await state(page);
  assert.ok(s.sketch.ink >= 8, `a horizontal touch stroke painted ${s.sketch.ink} pixels`);
  await closeLab(context, problems);
});

test('the chain rule: a leaf of the 2×2 aggregation tree is the product of its conditionals', async () => {
  const { page, context, problems } = await openSketchLab('mode=chain');
  await page.waitForFunction(() => window.implay.state().sketch.leaves.length === 16, null, { timeout: 10000 });
  let s = await state(page);
  assert.equal(s.sketch.chain_total, s.data.train, 'every training image lands in one leaf');
  for (const leaf of [0, 9, 15]) {
    const [x, y] = s.sketch.leaves[leaf];
    await page.mouse.click(x, y);
    await page.waitForFunction((l) => window.implay.state().sketch.chain_leaf === l, leaf, { timeout: 10000 });
    s = await state(page);
    assert.equal(s.sketch.chain_leaf, leaf);
    assert.ok(Math.abs(s.sketch.chain_product - s.sketch.chain_joint) < 1e-9,
      `leaf ${leaf}: product ${s.sketch.chain_product} = count/N ${s.sketch.chain_joint}`);
  }
  assert.ok(s.sketch.chain_joint > 0, 'the all-ink patch occurs in the middle of the digits');
  // Moving the patch to the corner: all paper there, so the first leaf holds (nearly) every image.
  const r = s.sketch.patch_picker;
  await page.mouse.click(r.x + 2, r.y + 2);
  await waitFrames(page);  // one click at a time: ImGui 1.86 sees one button state a frame
  await page.mouse.click(s.sketch.leaves[0][0], s.sketch.leaves[0][1]);
  await page.waitForFunction(() => window.implay.state().sketch.chain_leaf === 0, null, { timeout: 10000 });
  s = await state(page);
  assert.ok(s.sketch.chain_joint > 0.99, `p(all paper) in the corner = ${s.sketch.chain_joint}`);
  await page.mouse.click(r.x + r.w * 0.45, r.y + r.h * 0.3);
  await waitFrames(page);
  await screenshot(page, 'sketch-chain-rule');
  s = await state(page);
  assert.ok(s.sketch.chain_joint < 0.99);
  await closeLab(context, problems);
});

test('FVSBN trains in slices while frames keep coming; its test NLL joins the table', async () => {
  const { page, context, problems } = await openSketchLab('model=fvsbn&mode=models&epochs=2');
  await page.waitForFunction(() => window.implay.state().sketch.progress > 0.05, null, { timeout: 30000 });
  const frames0 = (await state(page)).frames;
  // However slow the machine, frames keep coming between slices: a few more are drawn while the
  // training moves on, before it ends.
  const during = await framesDuringWork(page, { running: (s) => s.sketch.training, progress: (s) => s.sketch.progress });
  assert.ok(during.stillRunning, `frames kept coming while training (${during.framesDrawn} drawn before it ended)`);
  await screenshot(page, 'sketch-fvsbn-training');
  await page.waitForFunction(() => window.implay.state().sketch.fvsbn_nll > 0, null, { timeout: 120000 });
  const s = await state(page);
  console.log(`  FVSBN (2 epochs, ${s.data.train} images) test NLL ${s.sketch.fvsbn_nll.toFixed(2)} nats; ` +
    `counts ${s.sketch.test_nll.toFixed(2)}, independent ${s.sketch.baseline_nll.toFixed(2)}; ` +
    `${s.frames - frames0} frames drawn from 5 % of the training to its end`);
  assert.equal(s.sketch.active_model, 'fvsbn');
  assert.ok(s.sketch.fvsbn_nll < 0.6 * s.sketch.baseline_nll);
  await page.waitForFunction(() => window.implay.state().sketch.analysed_model === 'fvsbn', null, { timeout: 10000 });
  await waitFrames(page);
  await screenshot(page, 'sketch-models');
  await closeLab(context, problems);
});

test('counting an empty sketch set says so and counts MNIST instead', async () => {
  const { page, context, problems } = await openSketchLab('counts=sketches');
  const s = await state(page);
  assert.match(s.sketch.counts_error, /your sketch set is empty.*counting MNIST instead/);
  assert.ok(s.sketch.test_nll < 0.6 * s.sketch.baseline_nll);
  await closeLab(context, problems);
});

test('NADE training can be cancelled; the count model stays in use', async () => {
  const { page, context, problems } = await openSketchLab('model=nade');
  await page.waitForFunction(() => window.implay.state().sketch.training && window.implay.state().sketch.cancel?.w > 0,
    null, { timeout: 30000 });
  const s0 = await state(page);
  assert.equal(s0.sketch.active_model, 'counts');
  // While NADE trains the banner says "context counts meanwhile": the maps and log p are theirs.
  assert.equal(s0.sketch.analysed_model, 'counts');
  await page.mouse.click(...centre(s0.sketch.cancel));
  await page.waitForFunction(() => !window.implay.state().sketch.training, null, { timeout: 10000 });
  const s = await state(page);
  assert.equal(s.sketch.training, false);
  assert.match(s.sketch.training_message, /cancelled/);
  assert.equal(s.sketch.nade_nll, -1);
  await closeLab(context, problems);
});

test('NADE trains in the page and completes sketches', async () => {
  const { page, context, problems } = await openSketchLab('model=nade&hidden=40&epochs=1');
  const t0 = Date.now();
  await page.waitForFunction(() => window.implay.state().sketch.nade_nll > 0, null, { timeout: 180000 });
  let s = await state(page);
  console.log(`  NADE (H = 40, 1 epoch, ${s.data.train} images) test NLL ${s.sketch.nade_nll.toFixed(2)} nats after ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s; independent ${s.sketch.baseline_nll.toFixed(2)}`);
  assert.equal(s.sketch.active_model, 'nade');
  assert.ok(s.sketch.nade_nll < 0.6 * s.sketch.baseline_nll);
  await drawStroke(page, s.sketch.canvas);
  s = await state(page);
  assert.ok(s.sketch.completion_ink > 0);
  assert.ok(s.sketch.completion_ms < 20, `one NADE completion ${s.sketch.completion_ms} ms`);
  await screenshot(page, 'sketch-nade');
  await closeLab(context, problems);
});

test('on all 60,000 images in the page: counts ≤ 84 nats, one FVSBN epoch ≤ 82, NADE lower still', async () => {
  const { page, context, problems } = await openSketchLab('mode=models&epochs=1');
  let s = await state(page);
  await page.mouse.click(...centre(s.sketch.load_full));
  await page.waitForFunction(() => window.implay.state().data.set === 'full', null, { timeout: 60000 });
  await page.waitForFunction(() => window.implay.state().sketch.baseline_nll > 205, null, { timeout: 30000 });
  s = await state(page);
  assert.ok(Math.abs(s.sketch.test_nll - 83.30) < 0.01, `K = 10 counts on 60,000: ${s.sketch.test_nll} (the CLI's 83.30)`);
  assert.ok(Math.abs(s.sketch.baseline_nll - 205.85) < 0.01, `independent: ${s.sketch.baseline_nll}`);
  for (const [button, key] of [['train_fvsbn', 'fvsbn_nll'], ['train_nade', 'nade_nll']]) {
    const rect = await scrollIntoView(page, 'sketch', button);
    const t0 = Date.now();
    await page.mouse.click(...centre(rect));
    await page.waitForFunction((k) => window.implay.state().sketch[k] > 0, key, { timeout: 240000 });
    console.log(`  ${key.slice(0, -4)} on 60,000 images, 1 epoch: test NLL ${(await state(page)).sketch[key].toFixed(2)} nats ` +
      `(trained and scored on 10,000 in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  s = await state(page);
  assert.ok(s.sketch.fvsbn_nll <= 82, `FVSBN ${s.sketch.fvsbn_nll}`);
  assert.ok(s.sketch.nade_nll < s.sketch.fvsbn_nll, `NADE ${s.sketch.nade_nll} vs FVSBN ${s.sketch.fvsbn_nll}`);
  await screenshot(page, 'sketch-models-full');
  await closeLab(context, problems);
});

test('your sketches: kept across a reload, exported, imported; a corrupt import is refused', async () => {
  const opened = await openSketchLab('');
  const { page, context, problems } = opened;
  let s = await state(page);
  await drawStroke(page, s.sketch.canvas, 0.5);
  await page.mouse.click(...centre(s.sketch.keep));
  await page.waitForFunction(() => window.implay.state().sketch.sketches > 0, null, { timeout: 10000 });
  s = await state(page);
  assert.equal(s.sketch.sketches, 1);
  const ink = s.sketch.ink;
  // The same sketch again is refused, with a word, not stored twice.
  await page.mouse.click(...centre(s.sketch.keep));
  await page.waitForFunction(() => /Already kept/.test(window.implay.state().sketch.sketches_message), null, { timeout: 10000 });
  s = await state(page);
  assert.equal(s.sketch.sketches, 1, 'a duplicate is not kept');
  assert.equal(s.sketch.sketches_error, false);

  await page.reload();
  await waitForApp(page);
  await page.waitForFunction(() => window.implay.state().sketch.test_nll > 0, null, { timeout: 60000 });
  assert.equal((await state(page)).sketch.sketches, 1, 'the set survived the reload');

  await page.goto(session.base + 'index.html?lab=sketch&mode=sketches');
  await waitForApp(page);
  await page.waitForFunction(() => window.implay.state().sketch.export?.w > 0, null, { timeout: 60000 });
  s = await state(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.mouse.click(...centre(s.sketch.export))]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'implay-sketches-')), download.suggestedFilename());
  await download.saveAs(file);
  const exported = fs.readFileSync(file);
  assert.deepEqual(idxSummary(exported), [1, 28, 28, ink]);

  const corrupt = Buffer.from(exported.subarray(0, exported.length - 100));
  let [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.mouse.click(...centre(s.sketch.import))]);
  await chooser.setFiles({ name: 'broken.idx', mimeType: 'application/octet-stream', buffer: corrupt });
  await page.waitForFunction(() => window.implay.state().sketch.sketches_message !== '', null, { timeout: 5000 });
  s = await state(page);
  assert.equal(s.sketch.sketches_error, true);
  assert.match(s.sketch.sketches_message, /Import refused: broken\.idx: truncated data/);
  assert.equal(s.sketch.sketches, 1, 'the set already there is kept');
  await screenshot(page, 'sketch-import-refused');

  [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.mouse.click(...centre(s.sketch.import))]);
  await chooser.setFiles(file);
  await page.waitForFunction(() => window.implay.state().sketch.sketches === 2, null, { timeout: 5000 });
  s = await state(page);
  assert.equal(s.sketch.sketches_error, false);
  await screenshot(page, 'sketch-my-sketches');

  // Counting only your sketches: a model of two vertical strokes explains MNIST badly.
  const mnistOnly = s.sketch.test_nll;
  await page.goto(session.base + 'index.html?lab=sketch&counts=sketches');
  await waitForApp(page);
  await page.waitForFunction(() => window.implay.state().sketch.test_nll > 0, null, { timeout: 60000 });
  s = await state(page);
  assert.equal(s.sketch.sketches, 2);
  assert.ok(s.sketch.test_nll > mnistOnly + 20, `counts of 2 sketches: ${s.sketch.test_nll} vs MNIST ${mnistOnly}`);
  await closeLab(context, problems);
});
