// fit.test.mjs — every lab × tab fits every size a course uses: a 900×600 embed, a 1024×768
// projector, laptop and desktop screens, DPR 2 and 200 % zoom (CSS 640×400 at DPR 2). The lab
// frame reports what overflows (state().layout, app.cpp), at every scroll position of the lab
// region from top to bottom; this fails naming lab, tab and size.
// Screenshots land in build/screenshots/fit/ — look at them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSession, closeLab, openLab, openPage, waitForApp, waitFrames, screenshotDir } from './harness.mjs';

// [lab, tab query]: every tab each lab's apply_url takes (README "Embedding a lab").
const VIEWS = [
  ['knn', '2d'], ['knn', 'mnist'], ['knn', 'cv'], ['knn', 'perception'],
  ['linear', '2d'], ['linear', 'mnist'], ['linear', 'compare'],
  ['sketch', 'draw'], ['sketch', 'chain'], ['sketch', 'models'], ['sketch', 'sketches'],
  ['roc', 'toy'], ['roc', 'mnist'],
  ['prob', 'tables'], ['prob', 'ce'], ['prob', 'bayes'],
  ['nn', 'network'], ['nn', 'neurons'], ['nn', 'matrices'], ['nn', 'mnist'],
  ['conv', 'slide'], ['conv', 'digit'], ['conv', 'train'], ['conv', 'why'],
  ['data', null],
];

// FIT_LABS=prob,sketch runs only those labs (to iterate on one); by default all of them.
const onlyLabs = process.env.FIT_LABS ? process.env.FIT_LABS.split(',') : null;
const views = VIEWS.filter(([lab]) => !onlyLabs || onlyLabs.includes(lab));

// Sizes grouped by what needs a page of its own (embed=1 is a URL parameter, DPR a context
// setting); within a group the page is resized, as a student resizing the window would.
const GROUPS = [
  { name: 'embed', dpr: 1, embed: true, sizes: [{ name: '900x600-embed', width: 900, height: 600 }] },
  {
    name: 'DPR 1', dpr: 1, embed: false, sizes: [
      { name: '1024x768', width: 1024, height: 768 },
      { name: '1280x800', width: 1280, height: 800 },
      { name: '1920x1080', width: 1920, height: 1080 },
    ],
  },
  {
    name: 'DPR 2', dpr: 2, embed: false, sizes: [
      { name: '1280x800-dpr2', width: 1280, height: 800 },
      { name: '640x400-dpr2', width: 640, height: 400 },  // 200 % zoom of 1280×800
    ],
  },
];

const fitDir = path.join(screenshotDir, 'fit');

// Views measured not to fit yet (issue 12 stays open on them): each is printed on every run with
// what the frame reports, and the run fails if any other view, or any other size, stops fitting.
// Remove an entry once its view fits: the list can only shrink.
const KNOWN_GAPS = new Set([]);

// The layout problems of one view, as readable strings (empty: it fits).
function layoutProblems(layout) {
  const found = [];
  if (layout.overflow_x > 0.5) found.push(`${layout.overflow_x.toFixed(0)} px wider than its region (in ${layout.widest})`);
  if (layout.nested_scrollbars.length) found.push(`scrollbars inside the lab: ${layout.nested_scrollbars.join(', ')}`);
  if (layout.clipped.length) found.push(`content cut off in: ${layout.clipped.join(', ')}`);
  return found;
}

let session;
before(async () => {
  session = await startSession();
  fs.mkdirSync(fitDir, { recursive: true });
});
after(async () => { await session?.close(); });

// Waits until the frame measured the layout at the page's current size, and it settled (panes
// take their height from the frame before).
async function settledLayout(page, width) {
  await page.waitForFunction((w) => {
    const s = window.implay.state();
    return s.layout.region.w > 0 && s.layout.region.w <= w;
  }, width, { timeout: 30000 });
  // Settled: two reads a few frames apart agree (on a busy machine a scrollbar or the "Try this"
  // panel may still be arriving after a fixed number of frames). A layout that keeps changing is
  // reported as last measured.
  let layout = await page.evaluate(() => window.implay.state().layout);
  for (let attempt = 0; attempt < 10; ++attempt) {
    await waitFrames(page, 4);
    const next = await page.evaluate(() => window.implay.state().layout);
    if (JSON.stringify(next) === JSON.stringify(layout)) return next;
    layout = next;
  }
  return layout;
}

// Wheels the lab region by `dy` CSS px with the pointer at its middle; waits for the frame.
async function wheelLab(page, size, dy) {
  await page.mouse.move(size.width / 2, size.height * 0.6);
  await page.mouse.wheel(0, dy);
  await waitFrames(page, 2);
}

// The layout at every scroll position of the lab region, top to bottom (a child window scrolled
// out of sight is measured where it comes into view), then back to the top. At most 30 steps.
async function layoutsTopToBottom(page, size) {
  const layouts = [await settledLayout(page, size.width)];
  for (let step = 0; step < 30; ++step) {
    const last = layouts[layouts.length - 1];
    if (last.scroll_y >= last.scroll_max_y - 0.5) break;
    await wheelLab(page, size, size.height * 0.8);
    layouts.push(await settledLayout(page, size.width));
  }
  for (let step = 0; step < 30 && (await page.evaluate(() => window.implay.state().layout.scroll_y)) > 0; ++step)
    await wheelLab(page, size, -size.height);
  return layouts;
}

for (const group of GROUPS) {
  test(`every lab and tab fits (${group.sizes.map((z) => z.name).join(', ')})`, async () => {
    const first = group.sizes[0];
    const { page, context, problems } = await openPage(session, '?lab=data',
      { viewport: { width: first.width, height: first.height }, deviceScaleFactor: group.dpr });
    await waitForApp(page);
    const failures = [];
    for (const [lab, mode] of views) {
      const query = `?lab=${lab}${mode ? `&mode=${mode}` : ''}${group.embed ? '&embed=1' : ''}`;
      await page.setViewportSize({ width: first.width, height: first.height });
      await page.goto(session.base + 'index.html' + query);
      const s = await waitForApp(page);
      assert.equal(s.lab, lab);
      for (const size of group.sizes) {
        if (size !== first) await page.setViewportSize({ width: size.width, height: size.height });
        const view = `${lab}${mode ? ` · ${mode}` : ''} at ${size.name}`;
        const found = new Set((await layoutsTopToBottom(page, size)).flatMap(layoutProblems));
        for (const p of found) {
          if (KNOWN_GAPS.has(view)) console.log(`  known gap: ${view}: ${p}`);
          else failures.push(`${view}: ${p}`);
        }
        if (KNOWN_GAPS.has(view) && found.size === 0) console.log(`  known gap fits now: ${view} (remove it from KNOWN_GAPS)`);
        await page.screenshot({ path: path.join(fitDir, `${lab}-${mode ?? 'view'}-${size.name}.png`) });
      }
    }
    assert.deepEqual(failures, [], `views that do not fit:\n  ${failures.join('\n  ')}`);
    await closeLab(context, problems);
  });
}

test('the status bar is one line of small text in an embed, and About holds the developer facts', async () => {
  const { page, context } = await openLab(session, '?lab=knn&embed=1', { viewport: { width: 900, height: 600 } });
  await waitFrames(page, 4);
  const s = await page.evaluate(() => window.implay.state());
  // The lab region keeps all of the 600 px but the window paddings (12 px above and below, for
  // the page and for the lab region) and one small line (13 px text and 8 px spacing).
  const statusBar = 600 - 4 * 12 - s.layout.region.h;
  assert.ok(statusBar <= 24, `the status bar takes ${statusBar} px of a 600 px embed`);
  assert.equal(s.about_open, false);
  assert.equal(typeof s.kernels, 'string');
  assert.equal(s.simd, true);
  await context.close();
});
