// try_this.test.mjs — the "Try this" panel every lab opens with: listed tasks (3–5) drawn above
// the lab, a click on its header closes it, and the closed state is remembered per lab across a
// reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, openPage, waitForApp, waitFrames, screenshot } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const centre = (r) => [r.x + r.w / 2, r.y + r.h / 2];

test('every lab opens with its Try this panel of 3 to 5 tasks', async () => {
  const { page, context, problems } = await openPage(session, '?lab=knn');
  for (const lab of ['knn', 'linear', 'sketch', 'roc', 'prob']) {
    if (lab !== 'knn') await page.goto(session.base + `index.html?lab=${lab}`);
    await waitForApp(page, { data: false });
    await page.waitForFunction((l) => window.implay.state()[l]?.try?.h > 0, lab, { timeout: 20000 });
    const s = await state(page);
    assert.equal(s.try.shown, true, lab);
    assert.equal(s.try.open, true, `${lab}: open on a first visit`);
    assert.ok(s.try.tasks >= 3 && s.try.tasks <= 5, `${lab}: ${s.try.tasks} tasks`);
    // Open, the panel holds the tasks under its header: several lines of text.
    assert.ok(s[lab].try.h > s[lab].try_header.h * 3, `${lab}: panel ${s[lab].try.h} px, header ${s[lab].try_header.h} px`);
    await screenshot(page, `try-this-${lab}`);
  }
  await closeLab(context, problems);
});

test('closing the panel is remembered for that lab across a reload, not for the others', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn', { data: false });
  await page.waitForFunction(() => window.implay.state().knn?.try_header?.w > 0, null, { timeout: 20000 });
  let s = await state(page);
  const openHeight = s.knn.try.h;
  await page.mouse.move(...centre(s.knn.try_header));
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 1);
  await page.mouse.up();
  await page.waitForFunction(() => window.implay.state().try.open === false, null, { timeout: 10000 });
  await waitFrames(page);
  s = await state(page);
  assert.ok(s.knn.try.h < openHeight / 3, `closed: ${s.knn.try.h} px, open it was ${openHeight} px`);
  await screenshot(page, 'try-this-closed');

  await page.reload();
  await waitForApp(page, { data: false });
  await page.waitForFunction(() => window.implay.state().knn?.try?.h > 0, null, { timeout: 20000 });
  s = await state(page);
  assert.equal(s.try.open, false, 'still closed after a reload');
  assert.equal(s.try.shown, true);

  await page.goto(session.base + 'index.html?lab=roc');
  await waitForApp(page, { data: false });
  await page.waitForFunction(() => window.implay.state().lab === 'roc', null, { timeout: 20000 });
  assert.equal((await state(page)).try.open, true, 'another lab keeps its own panel open');
  await closeLab(context, problems);
});

test('in an embed the panel starts closed: one header line, the lab keeps its room', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&embed=1', { viewport: { width: 900, height: 600 }, data: false });
  await page.waitForFunction(() => window.implay.state().knn?.try?.h > 0, null, { timeout: 20000 });
  const s = await state(page);
  assert.equal(s.try.shown, true);
  assert.equal(s.try.open, false);
  assert.ok(s.knn.try.h < 2 * s.knn.try_header.h, `closed panel ${s.knn.try.h} px`);
  await screenshot(page, 'try-this-embed-900x600');
  await closeLab(context, problems);
});

test('in a short window (200 % zoom: CSS 640×400) the panel starts closed; at 1024×768 open', async () => {
  for (const [viewport, open] of [[{ width: 640, height: 400 }, false], [{ width: 1024, height: 768 }, true]]) {
    const { page, context, problems } = await openLab(session, '?lab=knn', { viewport, deviceScaleFactor: 2, data: false });
    await page.waitForFunction(() => window.implay.state().knn?.try?.h > 0, null, { timeout: 20000 });
    const s = await state(page);
    assert.equal(s.try.open, open, `${viewport.width}×${viewport.height}`);
    if (!open) await screenshot(page, 'try-this-640x400-dpr2');
    await closeLab(context, problems);
  }
});
