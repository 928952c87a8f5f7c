// nn.test.mjs — the Neural net lab driven like a student: the default net learns the 3-arm
// spiral past 95 % test accuracy after Play while the linear model stays near chance, a neuron
// switched off changes the net, the minibatch shows as matrices, a learning rate far too large
// stops training with a message, and the lab fits a 900×600 embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, screenshot, distinctColors } from './harness.mjs';

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
  const shot = await screenshot(page, 'nn-network');
  assert.ok(distinctColors(shot.image, s.nn.plane) >= 3, 'the plane shows the class regions');
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

test('the lab in a 900×600 embed', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&embed=1', { data: false, probe: 'nn.plane', viewport: { width: 900, height: 600 } });
  await waitFrames(page, 3);
  await screenshot(page, 'nn-embed-900x600');
  await closeLab(context, problems);
});
