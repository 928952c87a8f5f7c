// sketch.test.mjs — the Sketch model lab in the page: the count model is trained on the loaded
// MNIST (its test NLL far below the independent-pixel baseline), a stroke drawn on the 28×28
// canvas changes log p(sketch), and completions render.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, openPage, waitForApp, screenshot } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());

test('draw a vertical stroke: log p changes, the model completes the sketch', async () => {
  const { page, context, problems, warnings } = await openPage(session, '?lab=sketch&template=10&temperature=1&row=14');
  await waitForApp(page);
  await page.waitForFunction(() => window.implay.state().sketch.test_nll > 0, null, { timeout: 60000 });
  let s = await state(page);
  console.log(`  default subset: context model (K = 10) test NLL ${s.sketch.test_nll.toFixed(2)} nats, independent ${s.sketch.baseline_nll.toFixed(2)}`);
  assert.ok(s.sketch.test_nll < 0.6 * s.sketch.baseline_nll);
  const empty = s.sketch.log_p;
  const c = s.sketch.canvas;
  await page.mouse.move(c.x + c.w * 0.5, c.y + c.h * 0.2);
  await page.mouse.down();
  for (let i = 1; i <= 12; ++i) {
    await page.mouse.move(c.x + c.w * 0.5, c.y + c.h * (0.2 + 0.04 * i));
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  await page.waitForTimeout(300);
  s = await state(page);
  assert.ok(s.sketch.ink >= 8, `ink pixels ${s.sketch.ink}`);
  assert.notEqual(s.sketch.log_p, empty);
  await screenshot(page, 'sketch-stroke');
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  assert.deepEqual(problems, []);
  await context.close();
});
