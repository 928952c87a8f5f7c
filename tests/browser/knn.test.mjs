// knn.test.mjs — the kNN lab driven like a person: URL settings, the 2-D plane (add a point,
// hover), digits drawn with scripted mouse strokes and classified against MNIST, and
// cross-validation running in time slices while the page keeps drawing frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, framesDuringWork, screenshot, distinctColors, DIGIT_STROKES, drawStrokes } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());

test('?lab=knn&k=5&metric=l1&preset=spiral sets up the 2-D view with decision regions', async () => {
  let { page, context, problems, warnings, state: s } = await openLab(session, '?lab=knn&k=5&metric=l1&preset=spiral&mode=2d', { data: false });
  assert.equal(s.lab, 'knn');
  assert.equal(s.knn.k, 5);
  assert.equal(s.knn.metric, 'l1');
  assert.equal(s.knn.preset, 'spiral');
  await page.waitForFunction(() => window.implay.state().knn.regions_ms > 0, null, { timeout: 30000 });
  await waitFrames(page);  // the regions' texture is drawn
  s = await state(page);
  assert.equal(s.knn.points, 3 * 40, 'the spiral preset: 3 classes of 40 points');
  assert.ok(s.knn.regions_ms > 0, 'decision regions were computed');
  const { image } = await screenshot(page, 'knn-2d-spiral');
  assert.ok(distinctColors(image) > 30);
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  await closeLab(context, problems);
});

test('digits drawn with the mouse are classified correctly against MNIST', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=mnist&k=3', { probe: 'knn.canvas' });
  let s = await state(page);
  assert.ok(s.knn.canvas.w > 200, 'the drawing canvas is large');
  for (const [digit, strokes] of Object.entries(DIGIT_STROKES)) {
    await drawStrokes(page, s.knn.canvas, strokes);
    await page.waitForFunction(() => window.implay.state().knn.prediction >= 0, null, { timeout: 10000 });
    s = await state(page);
    await screenshot(page, `knn-mnist-drew-${digit}`);
    assert.equal(s.knn.prediction, Number(digit), `drew a ${digit}, the lab predicted ${s.knn.prediction}`);
    assert.ok(s.knn.query_ms > 0);
    // Clear for the next digit, with the Clear button under the canvas.
    await page.mouse.click(s.knn.canvas.x + 25, s.knn.canvas.y + s.knn.canvas.h + 20);
    await waitFrames(page);
    s = await state(page);
    assert.equal(s.knn.prediction, -1, 'Clear empties the canvas');
  }
  await closeLab(context, problems);
});

test('cross-validation runs in time slices while the page keeps drawing frames', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=cv', { probe: 'knn.cv_run' });
  const run = (await state(page)).knn.cv_run;
  const t0 = Date.now();
  await page.mouse.click(run.x + run.w / 2, run.y + run.h / 2);
  await page.waitForFunction(() => window.implay.state().knn.cv_running, null, { timeout: 10000, polling: 50 });
  const frames0 = (await state(page)).frames;
  const during = await framesDuringWork(page, { running: (s) => s.knn.cv_running });
  assert.ok(during.stillRunning, `the page kept drawing while cross-validating (${during.framesDrawn} frames before it ended)`);
  await page.waitForFunction(() => window.implay.state().knn.cv_best_k > 0, null, { timeout: 120000, polling: 200 });
  const s = await state(page);
  const seconds = (Date.now() - t0) / 1000;
  console.log(`  5-fold CV over k=1..25 on 2,000 images: ${seconds.toFixed(1)} s, ${s.frames - frames0} frames drawn meanwhile, best k = ${s.knn.cv_best_k}`);
  assert.ok(s.knn.cv_best_k >= 1 && s.knn.cv_best_k <= 25);
  await screenshot(page, 'knn-cv');
  await closeLab(context, problems);
});

test('2-D plane: click adds a point, drag moves it, right-click deletes it, hover votes', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=2d&preset=blobs&classes=2&points=20&k=1', { data: false, probe: 'knn.plane' });
  let s = await state(page);
  const plane = s.knn.plane;
  assert.equal(s.knn.points, 40);
  // A point of class 0 (the selected class) in the top-left corner, far from the blobs.
  const at = (x, y) => [plane.x + (x + 1) / 2 * plane.w, plane.y + (1 - y) / 2 * plane.h];
  await page.mouse.click(...at(-0.97, 0.97));
  await waitFrames(page);
  s = await state(page);
  assert.equal(s.knn.points, 41, 'a click adds a point');
  // Hovering right next to it with k = 1: its class wins.
  await page.mouse.move(...at(-0.93, 0.93));
  await waitFrames(page);
  s = await state(page);
  assert.equal(s.knn.hover_prediction, 0);
  // Drag it to the opposite corner, then delete it there with a right-click.
  await page.mouse.move(...at(-0.97, 0.97));
  await page.mouse.down();
  for (let t = 1; t <= 10; ++t) {
    await page.mouse.move(...at(-0.97 + 1.94 * t / 10, 0.97 - 1.94 * t / 10));
    await waitFrames(page, 1);
  }
  await page.mouse.up();
  await waitFrames(page);
  await screenshot(page, 'knn-2d-after-drag');
  await page.mouse.click(...at(0.97, -0.97), { button: 'right' });
  await waitFrames(page);
  s = await state(page);
  assert.equal(s.knn.points, 40, 'the dragged point was deleted where it was dropped');
  await closeLab(context, problems);
});

test('the perception panel and the lab at iframe size (900x600, embed) render', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=perception&embed=1', { viewport: { width: 900, height: 600 } });
  await waitFrames(page, 5);
  const { image } = await screenshot(page, 'knn-perception-embed-900x600');
  assert.ok(distinctColors(image) > 10);
  const second = await openLab(session, '?lab=knn&mode=2d&embed=1', { viewport: { width: 900, height: 600 }, data: false });
  await second.page.waitForFunction(() => window.implay.state().knn.regions_ms > 0, null, { timeout: 30000 });
  await waitFrames(second.page);
  await screenshot(second.page, 'knn-2d-embed-900x600');
  assert.deepEqual(problems, []);
  assert.deepEqual(second.problems, []);
  await context.close();
  await second.context.close();
});

test('a digit drawn with touch (a finger, not a mouse) is classified too', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=mnist&k=3', { probe: 'knn.canvas' });
  const s0 = await state(page);
  const c = s0.knn.canvas;
  const cdp = await context.newCDPSession(page);
  const point = (x, y) => [{ x: c.x + x * c.w, y: c.y + y * c.h, id: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(0.52, 0.15) });
  for (let i = 1; i <= 16; ++i) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(0.52 - 0.04 * i / 16, 0.15 + 0.7 * i / 16) });
    await waitFrames(page, 1);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForFunction(() => window.implay.state().knn.prediction >= 0, null, { timeout: 10000 });
  const s = await state(page);
  await screenshot(page, 'knn-mnist-touch-1');
  assert.equal(s.knn.prediction, 1, `drew a 1 by touch, the lab predicted ${s.knn.prediction}`);
  await closeLab(context, problems);
});
