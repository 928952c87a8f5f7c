// nn.test.mjs — the Neural net lab driven like a student: the default net learns the 3-arm
// spiral past 95 % test accuracy after Play while the linear model stays near chance, a neuron
// switched off changes the net, the minibatch shows as matrices, a learning rate far too large
// stops training with a message, an MLP learns MNIST in the page and reads a drawn digit, and the
// lab fits a 900×600 embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, screenshot, distinctColors, framesDuringWork, scrollIntoView,
  DIGIT_STROKES, drawStrokes } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const click = (page, r) => page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);

test('the default net learns the 3-arm spiral past 95 % test accuracy; the regions are drawn', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn', { data: false, probe: 'nn.play' });
  let s = await state(page);
  assert.equal(s.nn.layers, '16');
  assert.equal(s.nn.train_points + s.nn.test_points, 300, '3 arms of 100 points');
  const t0 = Date.now();
  await click(page, s.nn.play);
  await page.waitForFunction(() => window.implay.state().nn.playing, null, { timeout: 10000 });
  await page.waitForFunction(() => window.implay.state().nn.test_accuracy >= 0.95, null, { timeout: 120000, polling: 100 });
  s = await state(page);
  console.log(`  95 % test accuracy after ${s.nn.epoch} epochs, ${((Date.now() - t0) / 1000).toFixed(1)} s after Play ` +
              `(${s.nn.train_seconds.toFixed(2)} s of compute); train ${s.nn.train_accuracy.toFixed(3)}`);
  assert.ok(s.nn.train_accuracy > 0.9);
  assert.ok(s.nn.curve_points >= 2, 'the curves have points');
  assert.ok(s.nn.confusion_accuracy > 0.8, `the confusion matrix of the test points: ${s.nn.confusion_accuracy}`);
  // The frame's own clock (what bench/browser/nn_frame_run.mjs reads): while it plays, the lab's
  // update holds at least its 8 ms training slice, and the whole Frame includes the update.
  // Its window is the last 120 frames: wait until all of them were drawn while playing.
  await page.waitForFunction((f) => window.implay.state().frames > f + 120, s.frames, { timeout: 120000, polling: 200 });
  const { compute, nn } = await state(page);
  assert.ok(nn.playing);
  assert.ok(compute.update_ms.median >= 8, `update ${JSON.stringify(compute.update_ms)} ms`);
  assert.ok(compute.frame_ms.median >= compute.update_ms.median, `Frame ${JSON.stringify(compute.frame_ms)} ms`);
  const shot = await screenshot(page, 'nn-network');
  assert.ok(distinctColors(shot.image, s.nn.plane) >= 3, 'the plane shows the class regions');
  await closeLab(context, problems);
});

test('switching the loss mid-way goes on training the same net: the epochs and the accuracy carry over', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&compare=0', { data: false, probe: 'nn.play' });
  await click(page, (await state(page)).nn.play);
  await page.waitForFunction(() => window.implay.state().nn.test_accuracy >= 0.9, null, { timeout: 120000, polling: 100 });
  await click(page, (await state(page)).nn.play);  // pause, so the numbers before the switch hold still
  await page.waitForFunction(() => !window.implay.state().nn.playing, null, { timeout: 10000 });
  const before = await state(page);
  assert.equal(before.nn.loss, 'softmax');
  // Open the loss combo; Down and Space pick the next loss, the multiclass SVM.
  await click(page, before.nn.loss_combo);
  await waitFrames(page);
  for (const key of ['ArrowDown', 'Space']) {
    await page.keyboard.press(key);
    await waitFrames(page);
  }
  await page.waitForFunction(() => window.implay.state().nn.loss === 'svm', null, { timeout: 10000 });
  await click(page, before.nn.step);
  await page.waitForFunction((e) => window.implay.state().nn.epoch > e, before.nn.epoch, { timeout: 20000 });
  const after = await state(page);
  console.log(`  softmax → svm at epoch ${before.nn.epoch} (test ${before.nn.test_accuracy.toFixed(3)}): ` +
              `epoch ${after.nn.epoch}, test ${after.nn.test_accuracy.toFixed(3)}, hinge ${after.nn.train_hinge.toFixed(3)}`);
  assert.equal(after.nn.epoch, before.nn.epoch + 1, 'the epochs go on from where they were');
  assert.ok(after.nn.test_accuracy >= 0.8, `the net kept what it learned: test accuracy ${after.nn.test_accuracy}`);
  await closeLab(context, problems);
});

test('with no hidden layer the model stays near chance on the spiral (the tendril problem)', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&layers=0&compare=0', { data: false, probe: 'nn.play' });
  await click(page, (await state(page)).nn.play);
  await page.waitForFunction(() => window.implay.state().nn.epoch >= 150, null, { timeout: 120000, polling: 100 });
  const s = await state(page);
  console.log(`  linear model after ${s.nn.epoch} epochs: train ${s.nn.train_accuracy.toFixed(3)}, test ${s.nn.test_accuracy.toFixed(3)}`);
  assert.ok(s.nn.train_accuracy <= 0.65, `linear train accuracy ${s.nn.train_accuracy}`);
  await closeLab(context, problems);
});

test('neuron by neuron: Step trains an epoch; switching a neuron off leaves five of six on', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&mode=neurons&layers=6', { data: false, probe: 'nn.step' });
  let s = await state(page);
  assert.equal(s.nn.units_on, 6);
  await click(page, s.nn.step);
  await page.waitForFunction(() => window.implay.state().nn.epoch >= 1, null, { timeout: 20000 });
  await page.waitForFunction(() => window.implay.state().nn.neuron_on_0?.w > 0, null, { timeout: 10000 });
  await click(page, (await state(page)).nn.neuron_on_0);
  await page.waitForFunction(() => window.implay.state().nn.units_on === 5, null, { timeout: 20000 });
  await screenshot(page, 'nn-neurons');
  await closeLab(context, problems);
});

test('the batch as matrices: a minibatch of the batch size goes through the net', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&mode=matrices&batch=12', { data: false, probe: 'nn.another_batch' });
  await page.waitForFunction(() => window.implay.state().nn.batch_rows === 12, null, { timeout: 20000 });
  await screenshot(page, 'nn-matrices');
  await closeLab(context, problems);
});

test('a learning rate far too large stops training with a message naming the step and the rate', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&optimizer=sgd&lr=10&loss=mse&layers=64,64', { data: false, probe: 'nn.play' });
  await click(page, (await state(page)).nn.play);
  await page.waitForFunction(() => window.implay.state().nn.failure !== '', null, { timeout: 60000, polling: 100 });
  const s = await state(page);
  assert.equal(s.nn.playing, false, 'training paused');
  assert.match(s.nn.failure, /learning rate/);
  assert.ok(Number.isFinite(s.nn.train_cross_entropy), 'the last good net is kept');
  await waitFrames(page, 2);
  await screenshot(page, 'nn-diverged');
  await closeLab(context, problems);
});

test('MNIST: a 784-32-10 net trains in slices while the page draws, and reads a drawn 1', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&mode=mnist&mnist_units=32&mnist_epochs=2', { probe: 'nn.mnist_train' });
  let s = await state(page);
  assert.equal(s.nn.mnist.hidden, 32);
  await click(page, s.nn.mnist_train);
  await page.waitForFunction(() => window.implay.state().nn.mnist.training, null, { timeout: 60000, polling: 100 });
  const during = await framesDuringWork(page, { running: (s) => s.nn.mnist.training, progress: (s) => s.nn.mnist.progress });
  assert.ok(during.stillRunning, `the page kept drawing while training (${during.framesDrawn} frames before it ended)`);
  await screenshot(page, 'nn-mnist-training');
  await page.waitForFunction(() => window.implay.state().nn.mnist.done, null, { timeout: 300000, polling: 250 });
  await page.waitForFunction(() => window.implay.state().nn.mnist.confusion_accuracy >= 0, null, { timeout: 30000 });
  s = await state(page);
  const m = s.nn.mnist;
  console.log(`  2 epochs of 784-32-10 on ${m.train_rows} images: ${m.train_seconds.toFixed(1)} s of compute, ` +
              `${Math.round(m.examples_per_second)} examples/s; test accuracy ${m.test_accuracy.toFixed(4)} on ${m.test_rows}; ` +
              `cross-entropy ${m.first_cross_entropy.toFixed(3)} → ${m.train_cross_entropy.toFixed(3)}`);
  assert.equal(m.epoch, 2);
  assert.equal(m.steps, 2 * Math.ceil(m.train_rows / 100), 'every minibatch of both epochs was trained');
  assert.ok(m.curve_points >= 10 && m.test_curve_points >= 10, `${m.curve_points} live curve points`);
  assert.ok(m.first_cross_entropy > 2.0, 'an untrained net is near log 10 = 2.30');
  assert.ok(m.train_cross_entropy < 0.5, 'the cross-entropy fell');
  assert.ok(m.test_accuracy > 0.88, `test accuracy ${m.test_accuracy}`);
  assert.ok(Math.abs(m.confusion_accuracy - m.test_accuracy) < 1e-6, 'the confusion matrix counts the same net');
  assert.equal(m.weight_tiles, 32, 'each hidden unit\'s weights as an image');
  const canvas = await scrollIntoView(page, 'nn', 'mnist_canvas');
  await drawStrokes(page, canvas, DIGIT_STROKES[1]);
  await page.waitForFunction(() => window.implay.state().nn.mnist.prediction >= 0, null, { timeout: 20000 });
  s = await state(page);
  assert.equal(s.nn.mnist.prediction, 1, 'the drawn 1 is read as a 1');
  assert.ok(s.nn.mnist.hidden_active > 0, 'some hidden units fire for it');
  await screenshot(page, 'nn-mnist-done');
  await closeLab(context, problems);
});

test('the lab in a 900×600 embed', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&embed=1', { data: false, probe: 'nn.plane', viewport: { width: 900, height: 600 } });
  await waitFrames(page, 3);
  await screenshot(page, 'nn-embed-900x600');
  await closeLab(context, problems);
});
