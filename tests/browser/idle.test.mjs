// idle.test.mjs — the app stops drawing when nothing changes and starts again at once: frames
// over 3 idle seconds after load, a drag over the kNN plane that draws a frame on every move,
// and kNN cross-validation that keeps frames coming until it ends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitIdle } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const frameCount = async (page) => (await state(page)).frames;

test('idle after load: at most 5 frames in 3 s; every move of a drag draws a frame', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=2d');
  await waitIdle(page);
  const before = await frameCount(page);
  // The measurement window: until the page's own clock has moved on 3 s (load only stretches it).
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForFunction((end) => performance.now() >= end, t0 + 3000, { timeout: 30000, polling: 250 });
  const idleFrames = (await frameCount(page)) - before;
  console.log(`  frames drawn in 3 idle seconds: ${idleFrames}`);
  assert.ok(idleFrames <= 5, `${idleFrames} frames drawn while idle (goal ≤ 5)`);
  assert.equal((await state(page)).idle, true);

  // Drag across the plane (the right half of the lab): each move must be drawn.
  const viewport = page.viewportSize();
  const x0 = viewport.width * 0.6, y0 = viewport.height * 0.45;
  await page.mouse.move(x0, y0);
  await page.mouse.down({ button: 'right' });  // a right drag on empty plane adds no point
  let drawn = 0;
  for (let i = 1; i <= 12; ++i) {
    const start = await frameCount(page);
    await page.mouse.move(x0 + i * 8, y0 + i * 4);
    await page.waitForFunction((n) => window.implay.state().frames > n, start, { timeout: 10000 });
    drawn++;
  }
  await page.mouse.up({ button: 'right' });
  assert.equal(drawn, 12, 'a frame was drawn after every one of 12 moves');
  await waitIdle(page);  // and it goes quiet again
  await closeLab(context, problems);
});

test('a job keeps the frames coming while it runs, then the app idles', async () => {
  // The largest subset: a job of many slices, so it outlasts the grace period on any machine.
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=cv&subset=10000', { probe: 'knn.cv_run' });
  await waitIdle(page);
  const s = await state(page);
  await page.mouse.click(s.knn.cv_run.x + s.knn.cv_run.w / 2, s.knn.cv_run.y + s.knn.cv_run.h / 2);
  await page.waitForFunction(() => window.implay.state().knn.cv_running, null, { timeout: 20000 });
  // Past the click's grace period (0.75 s and 10 frames, platform/main.cpp) the job alone keeps
  // the app drawing: wait for each next frame, with no input at all, until the job ends. A busy
  // machine draws fewer frames a second, but every wait still ends in a new frame.
  const first = await frameCount(page);
  let looks = 0, last = first;
  for (;;) {
    await page.waitForFunction((n) => {
      const t = window.implay.state();
      return t.frames > n || !t.knn.cv_running;
    }, last, { timeout: 30000 });
    const t = await state(page);
    if (!t.knn.cv_running) break;
    looks++;
    assert.equal(t.idle, false, 'not idle while cross-validating');
    last = t.frames;
  }
  console.log(`  cross-validation: ${last - first} frames drawn with no input (${looks} looks, each a new frame)`);
  assert.ok(last - first > 30, `the job kept drawing well past the 10-frame grace (${last - first} frames)`);
  assert.ok((await state(page)).knn.cv_best_k > 0, 'the job finished with a result');
  await waitIdle(page);  // and then the app goes quiet
  await closeLab(context, problems);
});
