// shell.test.mjs — the app shell in headless Chromium: it renders, the navigation works, URL
// parameters and embed mode apply, data loads, and a browser without WebGL2 or WASM SIMD gets a
// clear message. Screenshots land in build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, openPage, waitForApp, waitFrames, screenshot, distinctColors, darkFraction } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

test('the app shell renders its first frame with no console errors and loads the default subset', async () => {
  const { page, context, problems } = await openPage(session, '?lab=data');
  const t0 = Date.now();
  const state = await waitForApp(page);
  const readyMs = Date.now() - t0;
  assert.equal(state.lab, 'data');
  assert.equal(state.nav_visible, true);
  assert.equal(state.simd, true, 'the shipped app must be the SIMD build');
  assert.equal(state.data.train, 10000);
  assert.equal(state.data.test, 2000);
  await waitFrames(page, 5);  // the digit grid's texture is made from the data in the next frames
  const { image } = await screenshot(page, 'shell-data-1280x800');
  assert.ok(distinctColors(image) > 20, 'the canvas shows more than a blank background');
  // The digit grid: a region right of the navigation holds dark ink.
  assert.ok(darkFraction(image, { x0: 240, y0: 140, x1: 760, y1: 640 }) > 0.03, 'digits are drawn');
  assert.deepEqual(problems, []);
  console.log(`  default subset ready ${readyMs} ms after navigation`);
  await context.close();
});

test('clicking a navigation entry switches the lab', async () => {
  let { page, context, problems, state } = await openLab(session, '', { data: false });
  assert.equal(state.lab, 'knn');
  const entry = state.nav.find((n) => n.key === 'linear');
  assert.ok(entry, 'the navigation lists the Linear classifier lab');
  for (const key of ['knn', 'linear', 'sketch', 'roc', 'prob', 'nn', 'conv', 'data'])
    assert.ok(state.nav.some((n) => n.key === key), `navigation lists ${key}`);
  await page.mouse.click(entry.x + entry.w / 2, entry.y + entry.h / 2);
  await page.waitForFunction(() => window.implay.state().lab === 'linear', null, { timeout: 5000 });
  await waitFrames(page);
  const { image } = await screenshot(page, 'shell-linear-not-built');
  assert.ok(distinctColors(image) > 10);
  state = await page.evaluate(() => window.implay.state());
  assert.equal(state.lab, 'linear');
  await closeLab(context, problems);
});

test('?lab=...&embed=1 opens that lab without the navigation, at iframe size', async () => {
  const { page, context, problems, warnings, state } = await openLab(session, '?lab=data&embed=1', { viewport: { width: 900, height: 600 } });
  assert.equal(state.lab, 'data');
  assert.equal(state.embed, true);
  assert.equal(state.nav_visible, false);
  assert.deepEqual(state.nav, []);
  await waitFrames(page);
  await screenshot(page, 'shell-embed-900x600');
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings.filter((w) => w.includes('[implay]')), []);
  await context.close();
});

test('unknown or invalid URL parameters give console warnings, not errors, and are ignored', async () => {
  const { page, context, problems, warnings, state } = await openLab(session, '?lab=nonsense&embed=maybe&colour=blue', { data: false });
  assert.equal(state.lab, 'knn', 'an unknown lab falls back to the first lab');
  assert.equal(state.embed, false);
  const ours = warnings.filter((w) => w.includes('[implay]'));
  assert.ok(ours.some((w) => w.includes('lab=nonsense')), ours.join('\n'));
  assert.ok(ours.some((w) => w.includes('embed=maybe')), ours.join('\n'));
  assert.ok(ours.some((w) => w.includes("'colour'")), ours.join('\n'));
  await closeLab(context, problems);
});

test('crisp at devicePixelRatio 2: the drawing buffer is twice the CSS size', async () => {
  const { page, context, problems } = await openLab(session, '?lab=data', { deviceScaleFactor: 2 });
  await page.waitForFunction(() => document.getElementById('canvas').width === 2 * document.getElementById('canvas').clientWidth,
    null, { timeout: 10000 });
  const size = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight };
  });
  assert.equal(size.w, size.cssW * 2);
  assert.equal(size.h, size.cssH * 2);
  await screenshot(page, 'shell-data-dpr2');
  await closeLab(context, problems);
});

test('the canvas follows the window size', async () => {
  const { page, context } = await openLab(session, '?lab=data', { viewport: { width: 1000, height: 700 }, data: false });
  await page.setViewportSize({ width: 1100, height: 640 });
  await page.waitForFunction(() => document.getElementById('canvas').width === 1100, null, { timeout: 5000 });
  const h = await page.evaluate(() => document.getElementById('canvas').height);
  assert.equal(h, 640);
  await context.close();
});

test('a browser without WebGL2 or WebAssembly SIMD gets a message naming what is missing', async () => {
  const noWebgl2 = () => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  };
  const noSimd = () => { WebAssembly.validate = () => false; };
  for (const [init, expected] of [[noWebgl2, 'WebGL2'], [noSimd, 'WebAssembly SIMD']]) {
    const { page, context, problems } = await openPage(session, '', { init });
    await page.waitForSelector('#unsupported:not([hidden])', { timeout: 5000 });
    const text = await page.textContent('#missing');
    assert.ok(text.includes(expected), text);
    assert.equal(await page.isVisible('#canvas'), false);
    await screenshot(page, `shell-unsupported-${expected.replace(/\W+/g, '-').toLowerCase()}`);
    await closeLab(context, problems);
  }
});

test('the full 60,000 / 10,000 sets load on demand, with progress, and replace the subset', async () => {
  const { page, context, problems } = await openLab(session, '?lab=data', { probe: 'data.load_full' });
  let s = await page.evaluate(() => window.implay.state());
  const b = s.data.load_full;
  assert.ok(b.w > 0, 'the data view shows the "Load the full sets" button');
  const t0 = Date.now();
  await page.mouse.click(b.x + b.w / 2, b.y + b.h / 2);
  await page.waitForFunction(() => window.implay.state().data.loading === 'full', null, { timeout: 5000, polling: 20 });
  await page.waitForFunction(() => window.implay.state().data.set === 'full', null, { timeout: 60000, polling: 100 });
  s = await page.evaluate(() => window.implay.state());
  assert.equal(s.data.train, 60000);
  assert.equal(s.data.test, 10000);
  console.log(`  full sets loaded ${Date.now() - t0} ms after the click`);
  await closeLab(context, problems);
});

test('a failed data download is shown in the page, never a crash', async () => {
  const { page, context, problems } = await openPage(session, '?lab=data', {
    init: () => {
      const original = window.fetch;
      window.fetch = (url, ...rest) => String(url).includes('subset/train-images') ? Promise.reject(new TypeError('network down (test)')) : original(url, ...rest);
    },
  });
  await waitForApp(page, { data: false });
  await page.waitForFunction(() => window.implay.state().data.error !== '', null, { timeout: 10000 });
  await waitFrames(page);
  const s = await page.evaluate(() => window.implay.state());
  assert.equal(s.data.train, 0);
  assert.match(s.data.error, /network down \(test\)/);
  const { image } = await screenshot(page, 'shell-data-failed');
  assert.ok(distinctColors(image) > 10, 'the app keeps running');
  // A warning in the console and the message in the page; the sibling downloads the page
  // aborted after the failure are expected.
  assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_ABORTED')), []);
  await context.close();
});
