// prob.test.mjs — the Probability & losses lab renders each view with the lecture's worked
// numbers and no console errors; URL parameters pick the view and the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, openPage, waitForApp, waitFrames, screenshot, distinctColors } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

for (const [mode, extra] of [['tables', '&table=dogs'], ['ce', ''], ['bayes', '']]) {
  test(`the ${mode} view renders`, async () => {
    const { page, context, problems, warnings } = await openPage(session, `?lab=prob&mode=${mode}${extra}`);
    const s = await waitForApp(page, { data: false });
    assert.equal(s.lab, 'prob');
    await waitFrames(page, 5);
    const { image } = await screenshot(page, `prob-${mode}`);
    assert.ok(distinctColors(image) > 10);
    assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
