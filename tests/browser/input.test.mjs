// input.test.mjs — input that works without a mouse hovering first: taps on a touch screen and
// instant clicks switch tabs and select table rows the first time; the keyboard alone sets
// kNN's k and distance and the shortcuts act; the arrows walk from pane to pane to the Neural net
// lab's Play; the wheel over an embedded lab scrolls the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitForApp, waitIdle, waitFrames } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const centre = (r) => [r.x + r.w / 2, r.y + r.h / 2];

// After an input the app settles (idle) or shows the expected state: whichever comes first.
const settle = (page, predicate, arg) =>
  page.waitForFunction(`(() => { const s = window.implay.state(); return (${predicate})(s, ${JSON.stringify(arg)}) || s.idle; })()`,
                       null, { timeout: 20000 });

async function switchTabs(page, times, press) {
  let hits = 0;
  for (let i = 0; i < times; ++i) {
    const s = await state(page);
    const target = (s.knn.tab + 1 + (i % 2)) % s.tabs.length;  // another tab each time, never the hovered one
    await press(...centre(s.tabs[target]));
    await settle(page, (s, t) => s.knn.tab === t, target);
    if ((await state(page)).knn.tab === target) hits++;
    await waitIdle(page);  // the next press comes without any hover in between
  }
  return hits;
}

test('the first tap switches kNN tabs 8 of 8 times and selects a Probability row', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=2d', { hasTouch: true });
  await waitIdle(page);
  assert.equal((await state(page)).tabs.length, 4);
  const hits = await switchTabs(page, 8, (x, y) => page.touchscreen.tap(x, y));
  assert.equal(hits, 8, `${hits} of 8 taps switched the tab`);

  await page.goto(session.base + 'index.html?lab=prob&mode=tables&table=dogs');
  await waitForApp(page, { data: false });
  await page.waitForFunction(() => window.implay.state().prob.row3?.w > 0, null, { timeout: 10000 });
  await waitIdle(page);
  for (const row of [3, 1, 2]) {
    await page.touchscreen.tap(...centre((await state(page)).prob[`row${row}`]));
    await settle(page, (s, r) => s.prob.row === r, row);
    assert.equal((await state(page)).prob.row, row, `one tap selected row ${row}`);
    await waitIdle(page);
  }
  await closeLab(context, problems);
});

test('an instant click without a hover first switches tabs 10 of 10 times', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=2d');
  await waitIdle(page);
  const hits = await switchTabs(page, 10, (x, y) => page.mouse.click(x, y));
  assert.equal(hits, 10, `${hits} of 10 clicks switched the tab`);
  await closeLab(context, problems);
});

test('keyboard: Tab to k, type it; arrows to the distance, pick one; Ctrl+Z and Delete undo and clear', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&mode=mnist&k=3', { probe: 'knn.canvas' });
  await waitIdle(page);
  let s = await state(page);
  assert.equal(s.knn.k, 3);
  // Tab goes through the sliders in reading order: the pen width under the canvas, then k,
  // ready to type (ImGui selects its text).
  for (let i = 0; i < 2; ++i) {
    await page.keyboard.press('Tab');
    await waitFrames(page);
  }
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.implay.state().knn.k === 7, null, { timeout: 10000 });
  // Down to the distance combo, Space opens it, Down moves to the next metric, Space picks it.
  const metric0 = s.knn.metric;
  for (const key of ['ArrowDown', 'Space', 'ArrowDown', 'Space']) {
    await page.keyboard.press(key);
    await waitFrames(page);
  }
  await page.waitForFunction((m) => window.implay.state().knn.metric !== m, metric0, { timeout: 10000 });
  s = await state(page);
  console.log(`  keyboard: k 3 → ${s.knn.k}, distance ${metric0} → ${s.knn.metric}`);

  // Shortcuts: draw a stroke, Ctrl+Z takes it back; draw again, Delete clears.
  const c = s.knn.canvas;
  const stroke = async () => {
    await page.mouse.move(c.x + c.w * 0.5, c.y + c.h * 0.2);
    await page.mouse.down();
    for (let i = 1; i <= 8; ++i) {
      await page.mouse.move(c.x + c.w * 0.5, c.y + c.h * (0.2 + i * 0.08));
      await waitFrames(page, 1);
    }
    await page.mouse.up();
    await page.waitForFunction(() => window.implay.state().knn.prediction >= 0, null, { timeout: 10000 });
  };
  await stroke();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => window.implay.state().knn.prediction === -1, null, { timeout: 10000 });
  await stroke();
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => window.implay.state().knn.prediction === -1, null, { timeout: 10000 });
  await closeLab(context, problems);
});

test('Space plays and pauses the linear 2-D trainer, S takes one step', async () => {
  const { page, context, problems } = await openLab(session, '?lab=linear&mode=2d', { data: false });
  await waitIdle(page);
  const steps0 = (await state(page)).linear.steps;
  await page.keyboard.press('Space');
  await page.waitForFunction((n) => window.implay.state().linear.steps > n + 10, steps0, { timeout: 20000 });
  await page.keyboard.press('Space');
  await waitIdle(page);  // paused: nothing left to draw
  const paused = (await state(page)).linear.steps;
  await waitFrames(page, 3);
  assert.equal((await state(page)).linear.steps, paused, 'paused: no more steps');
  await page.keyboard.press('s');
  await page.waitForFunction((n) => window.implay.state().linear.steps === n + 1, paused, { timeout: 10000 });
  await closeLab(context, problems);
});

test('the wheel over an embedded lab scrolls the course page; over a scrolling lab it does not', async () => {
  for (const [height, lab, pageScrolls] of [[900, 'knn&mode=2d', true], [360, 'prob&mode=tables', false]]) {
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const host = session.base + 'course.html';
    const html = `<!doctype html><body style="margin:0"><h1>Course page</h1><div style="height:200px"></div>
      <iframe src="index.html?lab=${lab}&embed=1" width="1200" height="${height}"></iframe>
      <div style="height:3000px"></div></body>`;
    await context.route(host, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
    const page = await context.newPage();
    await page.goto(host);
    const frame = page.frames().find((f) => f.url().includes('index.html'));
    await waitForApp(frame, { data: false });
    await page.evaluate(() => window.scrollTo(0, 150));  // the iframe's top at y = 200 - 150 + h1
    const box = await page.locator('iframe').boundingBox();
    // Over the middle of the lab: first a move, so the app knows what is under the pointer.
    await page.mouse.move(box.x + box.width * 0.75, box.y + Math.min(box.height * 0.8, 600));
    await waitIdle(frame);
    const y0 = await page.evaluate(() => window.scrollY);
    await page.mouse.wheel(0, 300);
    if (pageScrolls) {
      await page.waitForFunction((y) => window.scrollY > y, y0, { timeout: 10000 });
    } else {
      await waitFrames(frame, 5);
      assert.equal(await page.evaluate(() => window.scrollY), y0, 'the lab scrolled, not the page');
    }
    console.log(`  iframe ${height} px, ${lab}: page scrollY ${y0} → ${await page.evaluate(() => window.scrollY)}`);
    await context.close();
  }
});

test('keyboard alone walks from the settings pane into the next one and presses Play (nn lab, 900×600 embed)', async () => {
  const { page, context, problems } = await openLab(session, '?lab=nn&embed=1',
    { data: false, probe: 'nn.play', viewport: { width: 900, height: 600 } });
  await waitIdle(page);
  const inside = (f, r) => f && Math.abs(f.x + f.w / 2 - (r.x + r.w / 2)) < r.w / 2 && Math.abs(f.y + f.h / 2 - (r.y + r.h / 2)) < r.h / 2;
  // Tab puts the focus on a control of the settings pane; the run buttons are in the pane beside
  // it (ImGui's panes are child windows): Up or Down to Play's row, then Right into that pane.
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => window.implay.state().focus !== null, null, { timeout: 10000 });
  const trail = [];
  for (let presses = 0; presses < 30; ++presses) {
    const s = await state(page);
    trail.push(`${Math.round(s.focus?.x)},${Math.round(s.focus?.y)}`);
    if (inside(s.focus, s.nn.play)) break;
    const row = s.focus.y + s.focus.h / 2 - (s.nn.play.y + s.nn.play.h / 2);
    const key = row > s.nn.play.h / 2 ? 'ArrowUp' : row < -s.nn.play.h / 2 ? 'ArrowDown' : 'ArrowRight';
    await page.keyboard.press(key);
    await page.waitForFunction((f) => window.implay.state().frames > f + 1, s.frames, { timeout: 10000 });
  }
  const s = await state(page);
  assert.ok(inside(s.focus, s.nn.play), `the focus never reached Play ${JSON.stringify(s.nn.play)}: ${trail.join(' → ')}`);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.implay.state().nn.playing, null, { timeout: 10000 });
  console.log(`  Play reached from the control Tab focused in ${trail.length - 1} arrow presses; Space started training`);
  await closeLab(context, problems);
});
