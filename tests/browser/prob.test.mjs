// prob.test.mjs — the Probability & losses lab renders each view with the lecture's worked
// numbers and no console errors; URL parameters pick the view and the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, screenshot, distinctColors } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

for (const [mode, extra] of [['tables', '&table=dogs'], ['ce', ''], ['bayes', '']]) {
  test(`the ${mode} view renders`, async () => {
    const { page, context, problems, warnings, state: s } = await openLab(session, `?lab=prob&mode=${mode}${extra}`, { data: false });
    assert.equal(s.lab, 'prob');
    await waitFrames(page, 5);
    const { image } = await screenshot(page, `prob-${mode}`);
    assert.ok(distinctColors(image) > 10);
    assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
    await closeLab(context, problems);
  });
}

test('Bayes: dragging a prior keeps the priors a distribution (the others share the rest)', async () => {
  const { page, context, problems } = await openLab(session, '?lab=prob&mode=bayes', { data: false, probe: 'prob.prior_0' });
  let s = await page.evaluate(() => window.implay.state());
  assert.deepEqual(s.prob.priors.map((p) => +p.toFixed(6)), [0.2, 0.1, 0.7]);
  // Drag Grogu's prior slider to 90 % of its track.
  const r = s.prob.prior_0;
  await page.mouse.move(r.x + r.w * 0.2, r.y + r.h / 2);
  await waitFrames(page, 2);
  await page.mouse.down();
  for (let i = 1; i <= 6; ++i) {
    await page.mouse.move(r.x + r.w * (0.2 + 0.12 * i), r.y + r.h / 2);
    await waitFrames(page, 1);
  }
  await page.mouse.up();
  await page.waitForFunction(() => window.implay.state().prob.priors[0] > 0.6, null, { timeout: 10000 });
  await waitFrames(page);
  s = await page.evaluate(() => window.implay.state());
  const [grogu, jedi, other] = s.prob.priors;
  assert.ok(Math.abs(grogu + jedi + other - 1) < 1e-9, `priors ${s.prob.priors} sum to ${grogu + jedi + other}`);
  assert.ok(Math.abs(other / jedi - 7) < 1e-6, `the others keep their 1 : 7 ratio: ${jedi}, ${other}`);
  await screenshot(page, 'prob-bayes-dragged');
  await closeLab(context, problems);
});
