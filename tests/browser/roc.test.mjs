// roc.test.mjs — the ROC & AUC lab in the page: the toy's AUC is the theory's Φ(d / (σ√2)),
// dragging on the histogram moves the threshold, and the MNIST A-vs-B classifiers trained in
// place score a high AUC with HoG compared to raw pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, screenshot } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());

// A press in the middle of rectangle h and a drag to the right, a short step per frame.
async function dragRight(page, h) {
  await page.mouse.move(h.x + h.w * 0.5, h.y + h.h * 0.5);
  await page.mouse.down();
  for (let i = 1; i <= 8; ++i) {
    await page.mouse.move(h.x + h.w * (0.5 + 0.03 * i), h.y + h.h * 0.5);
    await waitFrames(page, 1);
  }
  await page.mouse.up();
}

test('toy: AUC matches the two-Gaussian theory and dragging on the histogram moves the threshold', async () => {
  const { page, context, problems, warnings } = await openLab(session, '?lab=roc&mode=toy&separation=1.5&spread=1&threshold=0.75', { data: false });
  await page.waitForFunction(() => window.implay.state().roc.valid && window.implay.state().roc.hist?.w > 0, null, { timeout: 10000 });
  let s = await state(page);
  assert.ok(s.roc.valid);
  // AUC = Φ(1.5 / √2) = 0.856 for two unit Gaussians 1.5 apart; 400 samples: within ±0.05.
  assert.ok(Math.abs(s.roc.auc_a - 0.856) < 0.05, `AUC ${s.roc.auc_a}`);
  assert.ok(s.roc.auc_b < s.roc.auc_a, 'B (less separated) has the smaller AUC');
  assert.equal(s.roc.threshold, 0.75);
  // Drag on the histogram from its middle to the right: the threshold follows the mouse.
  const h = s.roc.hist;
  await dragRight(page, h);
  await waitFrames(page);
  const after = await state(page);
  assert.ok(after.roc.threshold > 0.75 + 0.2, `threshold ${after.roc.threshold} after the drag`);
  await screenshot(page, 'roc-toy');

  // A click on the ROC plot moves the threshold to the curve's nearest point: the dot lands near
  // the click, low-FPR for a click at the upper left, high-FPR for one at the top right.
  const clickRoc = async (fpr, tpr) => {
    const r = (await state(page)).roc.roc_area;
    await page.mouse.move(r.x + r.w * fpr, r.y + r.h * (1 - tpr));
    await waitFrames(page, 2);
    await page.mouse.down();
    await waitFrames(page, 1);
    await page.mouse.up();
    await waitFrames(page);
    return (await state(page)).roc;
  };
  const upperLeft = await clickRoc(0.2, 0.75);
  assert.notEqual(upperLeft.threshold, after.roc.threshold);
  assert.ok(Math.hypot(upperLeft.at.fpr - 0.2, upperLeft.at.tpr - 0.75) < 0.12,
    `clicked (0.2, 0.75), the threshold ${upperLeft.threshold} gives (${upperLeft.at.fpr}, ${upperLeft.at.tpr})`);
  const topRight = await clickRoc(0.8, 0.99);
  assert.ok(topRight.threshold < upperLeft.threshold, 'further along the curve is a lower threshold');
  assert.ok(topRight.at.fpr > 0.6 && topRight.at.tpr > 0.95, `(${topRight.at.fpr}, ${topRight.at.tpr})`);
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  await closeLab(context, problems);
});

test('MNIST 3 vs 8: logistic classifiers trained in place, pixels vs HoG', async () => {
  const { page, context, problems } = await openLab(session, '?lab=roc&mode=mnist&a=3&b=8');
  await page.waitForFunction(() => window.implay.state().roc.valid, null, { timeout: 60000 });
  await waitFrames(page);
  const s = await state(page);
  console.log(`  MNIST 3 vs 8 on the default subset: AUC raw pixels ${s.roc.auc_a.toFixed(4)}, HoG ${s.roc.auc_b.toFixed(4)}`);
  assert.ok(s.roc.auc_a > 0.95 && s.roc.auc_b > 0.95);
  await screenshot(page, 'roc-mnist-3-vs-8');
  await closeLab(context, problems);
});

test('lock=1: dragging on the histogram or clicking the curve leaves the threshold as the link set it', async () => {
  const { page, context, problems } = await openLab(session, '?lab=roc&mode=toy&threshold=0.75&lock=1', { data: false });
  await page.waitForFunction(() => window.implay.state().roc.valid && window.implay.state().roc.hist?.w > 0, null, { timeout: 10000 });
  const s = await state(page);
  const h = s.roc.hist, r = s.roc.roc_area;
  await dragRight(page, h);
  await page.mouse.click(r.x + r.w * 0.2, r.y + r.h * 0.25);
  await waitFrames(page, 4);
  assert.equal((await state(page)).roc.threshold, 0.75, 'a locked threshold keeps its value');
  await closeLab(context, problems);
});
