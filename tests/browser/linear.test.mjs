// linear.test.mjs — the linear classifier lab driven like a person: the 2-D view trains when
// Play is pressed (the loss goes down), MNIST trains in time slices while frames keep coming
// (both losses recorded, validation and test accuracy real), and the Softmax vs SVM view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, framesDuringWork, screenshot, distinctColors } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const click = (page, r) => page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);

test('2-D: URL settings apply and Play lowers the loss', async () => {
  const { page, context, problems, warnings } = await openLab(session, '?lab=linear&mode=2d&loss=softmax&reg=l2&lambda=0.001&lr=0.5', { data: false, probe: 'linear.play2d' });
  let s = await state(page);
  assert.equal(s.linear.loss, 'softmax');
  assert.equal(s.linear.reg, 'l2');
  const before = s.linear.data_loss;
  await click(page, s.linear.play2d);
  await page.waitForFunction(() => window.implay.state().linear.steps >= 40, null, { timeout: 20000 });
  s = await state(page);
  assert.ok(s.linear.data_loss < before * 0.8, `loss ${before} → ${s.linear.data_loss}`);
  await screenshot(page, 'linear-2d');
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  await closeLab(context, problems);
});

test('MNIST: training runs in slices while the page draws, both losses fall, accuracy is real', async () => {
  const { page, context, problems } = await openLab(session, '?lab=linear&mode=mnist&loss=softmax', { probe: 'linear.play' });
  let s = await state(page);
  const frames0 = s.frames;
  const t0 = Date.now();
  await click(page, s.linear.play);
  await page.waitForFunction(() => window.implay.state().linear.training, null, { timeout: 10000 });
  const during = await framesDuringWork(page, { running: (s) => s.linear.training, progress: (s) => s.linear.progress });
  assert.ok(during.stillRunning, `the page kept drawing while training (${during.framesDrawn} frames before it ended)`);
  await screenshot(page, 'linear-mnist-training');
  await page.waitForFunction(() => window.implay.state().linear.done, null, { timeout: 180000, polling: 250 });
  await waitFrames(page);
  s = await state(page);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`  5 epochs on 9,000 images: ${s.linear.train_seconds.toFixed(1)} s of compute in ${seconds.toFixed(1)} s, ` +
              `${s.frames - frames0} frames drawn; validation ${s.linear.validation_accuracy}, ` +
              `test ${s.linear.test_accuracy}; CE ${s.linear.cross_entropy}, hinge ${s.linear.hinge}`);
  assert.equal(s.linear.preparing, false, 'the features were prepared (in slices) before training began');
  assert.ok(s.linear.curve_points >= 10, 'live loss curve sampled during training');
  assert.ok(s.linear.cross_entropy < 0.5 && s.linear.hinge < 1.0);
  assert.ok(s.linear.validation_accuracy > 0.87);
  assert.ok(s.linear.test_accuracy > 0.85);
  await screenshot(page, 'linear-mnist-done');
  await closeLab(context, problems);
});

test('MNIST slowly: a loss point per batch through the first epoch; a confusion cell shows its images', async () => {
  const { page, context, problems } = await openLab(session, '?lab=linear&mode=mnist&loss=softmax&speed=slow', { probe: 'linear.play' });
  let s = await state(page);
  assert.equal(s.linear.speed, 1);
  await click(page, s.linear.play);
  // 9,000 training images in batches of 100: 90 batches an epoch, each one a point of the curve
  // (at full speed a point every 15 batches: 6 an epoch). 70: room for where the epoch count turns.
  await page.waitForFunction(() => window.implay.state().linear.epoch >= 1, null, { timeout: 120000, polling: 250 });
  s = await state(page);
  assert.ok(s.linear.curve_points >= 70, `${s.linear.curve_points} loss points in the first epoch`);
  assert.equal(s.linear.done, false, 'slow: still training after the first epoch');
  await screenshot(page, 'linear-mnist-slow');
  await click(page, s.linear.play);  // Pause: the confusion matrix of the model so far
  await page.waitForFunction(() => window.implay.state().linear.confusion?.w > 0, null, { timeout: 20000 });
  // The matrix is below the fold: scroll the lab until it is in view, as a person would.
  for (let i = 0; i < 20; ++i) {
    s = await state(page);
    if (s.linear.confusion.y + s.linear.confusion.h < 780 && s.linear.confusion.y > 0) break;
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 300);
    await waitFrames(page, 3);
  }
  s = await state(page);
  const m = s.linear.confusion;
  assert.ok(m.y + m.h < 800, `the matrix is in view (y ${m.y}, h ${m.h})`);
  // Cell (true 4, predicted 9): column 9 + 1 and row 4 + 1 of the 11 × 11 grid (labels first).
  const cell = m.w / 11;
  await page.mouse.move(m.x + cell * 10.5, m.y + cell * 5.5);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 1);
  await page.mouse.up();
  await page.waitForFunction(() => window.implay.state().linear.cell.true === 4, null, { timeout: 10000 });
  s = await state(page);
  assert.equal(s.linear.cell.predicted, 9);
  assert.ok(s.linear.cell.count > 0, 'a linear model mixes up some 4s and 9s');
  assert.equal(s.linear.cell.images, s.linear.cell.count, 'the images listed are those the cell counts');
  await waitFrames(page);
  await screenshot(page, 'linear-confusion-cell');
  await closeLab(context, problems);
});

test('Softmax vs SVM view renders the lecture example', async () => {
  const { page, context, problems } = await openLab(session, '?lab=linear&mode=compare', { data: false });
  await waitFrames(page, 5);
  const { image } = await screenshot(page, 'linear-compare');
  assert.ok(distinctColors(image) > 10);
  await closeLab(context, problems);
});
