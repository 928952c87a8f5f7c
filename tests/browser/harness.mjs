// harness.mjs — shared set-up of the browser tests: serve dist/ on a free localhost port, launch
// Debian's Chromium through playwright-core with WebGL2 on SwiftShader, record every console
// error and failed request, and decode screenshots to check what is on screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotDir = path.join(root, 'build', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--enable-webgl',
];

export async function startSession() {
  // IMPLAY_DIST: another bundle folder (a second build tree's -DIMPLAY_DIST_DIR); dist/ by default.
  const server = await startServer({ port: 0, host: '127.0.0.1', dir: process.env.IMPLAY_DIST || path.join(root, 'dist') });
  const base = `http://127.0.0.1:${server.address().port}/`;
  // launch() gives every run a fresh, temporary profile (a new --user-data-dir).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

// Opens a page in a new context and records console errors, page errors, failed requests and
// HTTP errors in `problems` (and console warnings in `warnings`). `routes`: [[url glob, handler]]
// pairs for context.route, installed before the page loads (to serve a broken or missing file).
// hasTouch: a touch screen (page.touchscreen.tap).
export async function openPage(session, query = '', { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, hasTouch = false, init, routes = [] } = {}) {
  const context = await session.browser.newContext({ viewport, deviceScaleFactor, hasTouch });
  if (init) await context.addInitScript(init);
  for (const [url, handler] of routes) await context.route(url, handler);
  const page = await context.newPage();
  const problems = [];
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(session.base + 'index.html' + query);
  return { page, context, problems, warnings };
}

// Waits until the app drew `frames` frames (and, optionally, the default data is loaded).
export async function waitForApp(page, { frames = 3, data = true, timeout = 30000 } = {}) {
  await page.waitForFunction(({ frames, data }) => {
    try {
      const s = window.implay && window.implay.firstFrameAt !== null && window.implay.state();
      return s && s.frames >= frames && (!data || s.data.train > 0);
    } catch (e) { return false; }
  }, { frames, data }, { timeout, polling: 100 });
  return page.evaluate(() => window.implay.state());
}

// A test's usual start: openPage, then waitForApp (with `data`), then, with `probe: 'knn.canvas'`,
// until that probe rectangle of the lab is laid out. Returns openPage's handles and the state
// after those waits. The other options go to openPage.
export async function openLab(session, query, { data = true, probe, probeTimeout = 10000, ...pageOptions } = {}) {
  const opened = await openPage(session, query, pageOptions);
  let state = await waitForApp(opened.page, { data });
  if (probe) {
    const [lab, name] = probe.split('.');
    await opened.page.waitForFunction(([l, n]) => window.implay.state()[l]?.[n]?.w > 0, [lab, name], { timeout: probeTimeout });
    state = await opened.page.evaluate(() => window.implay.state());
  }
  return { ...opened, state };
}

// A test's usual end: the page logged no error and no request failed; then its context closes.
export async function closeLab(context, problems) {
  assert.deepEqual(problems, []);
  await context.close();
}

// Waits until the app has drawn `count` more frames, or is idle. Input sent before this call is
// then seen: the browser hands events to SDL before the next frame, which reads them, and ImGui
// acts on a click in the frame after. An app that is idle has taken every input (an event marks
// it awake as it arrives) and drew at least 10 frames after the last one (platform/main.cpp),
// so for count ≤ 10 "idle" means the same. Tests count frames, never milliseconds, so a busy
// machine that draws 5 frames a second instead of 60 only makes them slower.
export async function waitFrames(page, count = 3, { timeout = 30000 } = {}) {
  const start = await page.evaluate(() => window.implay.state().frames);
  await page.waitForFunction((target) => {
    const s = window.implay.state();
    return s.frames >= target || s.idle;
  }, start + count, { timeout });
}

// Waits until the app stopped drawing: no input, no job, the grace period over.
export async function waitIdle(page, { timeout = 30000 } = {}) {
  await page.waitForFunction(() => window.implay.state().idle, null, { timeout, polling: 100 });
}

// Waits while a sliced job (training, cross-validation) runs until `frames` more frames were
// drawn and, if `progress` is given, its progress moved on. `running` and `progress` are
// functions of the state, run in the page (so they cannot use variables of the test). If the
// job ends first this returns at once with stillRunning false, for the caller to assert on.
export async function framesDuringWork(page, { running, progress = null, frames = 5, timeout = 60000 }) {
  const measure = progress ? `(${progress})` : '(() => 1)';
  const start = await page.evaluate(`(() => { const s = window.implay.state(); return { frames: s.frames, progress: ${measure}(s) }; })()`);
  await page.waitForFunction(`(() => {
    const s = window.implay.state();
    return !(${running})(s) || (s.frames >= ${start.frames + frames} && ${measure}(s) ${progress ? '>' : '>='} ${start.progress});
  })()`, null, { timeout });
  const s = await page.evaluate(() => window.implay.state());
  return { state: s, framesDrawn: s.frames - start.frames, stillRunning: running(s) };
}

// Scrolls the lab region with the wheel until the probe rectangle `lab.name` lies inside the
// viewport (the Try this panel above a lab can push a button below the fold, as a student with
// a short window sees it), and returns it. The wheel turns over the control's own column.
export async function scrollIntoView(page, lab, name, { timeout = 30000 } = {}) {
  const viewport = page.viewportSize();
  const t0 = Date.now();
  for (;;) {
    await page.waitForFunction(([l, n]) => window.implay.state()[l]?.[n]?.w > 0, [lab, name], { timeout });
    const r = (await page.evaluate(() => window.implay.state()))[lab][name];
    if (r.y >= 0 && r.y + r.h <= viewport.height) return r;
    if (Date.now() - t0 > timeout) throw new Error(`${lab}.${name} stays outside the viewport: ${JSON.stringify(r)}`);
    await page.mouse.move(r.x + r.w / 2, viewport.height / 2);
    await page.mouse.wheel(0, r.y < 0 ? -120 : 120);
    await waitFrames(page, 2);
  }
}

export async function screenshot(page, name) {
  const file = path.join(screenshotDir, `${name}.png`);
  const png = await page.screenshot({ path: file });
  return { file, image: decodePng(png) };
}

// A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium writes).
export function decodePng(buffer) {
  let offset = 8, width = 0, height = 0, channels = 4;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      channels = { 2: 3, 6: 4 }[data[9]];
      if (data[8] !== 8 || !channels || data[12] !== 0) throw new Error('unsupported PNG format');
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(width * height * 4);
  const prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; ++y) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; ++x) {
      const a = x >= channels ? cur[x - channels] : 0, b = prev[x], c = x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = v & 255;
    }
    for (let x = 0; x < width; ++x) {
      pixels[(y * width + x) * 4] = cur[x * channels];
      pixels[(y * width + x) * 4 + 1] = cur[x * channels + 1];
      pixels[(y * width + x) * 4 + 2] = cur[x * channels + 2];
      pixels[(y * width + x) * 4 + 3] = channels === 4 ? cur[x * channels + 3] : 255;
    }
    cur.copy(prev);
  }
  return { width, height, pixels };
}

// How many distinct colours (quantized to 4 bits per channel) a region holds: a blank or
// single-colour canvas has 1 or 2.
export function distinctColors(image, { x0 = 0, y0 = 0, x1 = image.width, y1 = image.height } = {}) {
  const seen = new Set();
  for (let y = y0; y < y1; y += 2)
    for (let x = x0; x < x1; x += 2) {
      const i = (y * image.width + x) * 4;
      seen.add(((image.pixels[i] >> 4) << 8) | ((image.pixels[i + 1] >> 4) << 4) | (image.pixels[i + 2] >> 4));
    }
  return seen.size;
}

// Fraction of pixels in a region darker than `threshold` (text and ink).
export function darkFraction(image, { x0 = 0, y0 = 0, x1 = image.width, y1 = image.height } = {}, threshold = 128) {
  let dark = 0, all = 0;
  for (let y = y0; y < y1; ++y)
    for (let x = x0; x < x1; ++x) {
      const i = (y * image.width + x) * 4;
      all++;
      if (image.pixels[i] + image.pixels[i + 1] + image.pixels[i + 2] < 3 * threshold) dark++;
    }
  return dark / all;
}

// Strokes in canvas-relative coordinates (0..1), like a person drawing with the mouse.
export const DIGIT_STROKES = {
  0: [Array.from({ length: 41 }, (_, i) => [0.5 + 0.22 * Math.sin((i / 40) * 2 * Math.PI), 0.5 - 0.33 * Math.cos((i / 40) * 2 * Math.PI)])],
  1: [[[0.52, 0.15], [0.5, 0.5], [0.48, 0.85]]],
  7: [[[0.25, 0.2], [0.5, 0.2], [0.75, 0.2], [0.62, 0.45], [0.5, 0.65], [0.42, 0.85]]],
};

export async function drawStrokes(page, canvas, strokes) {
  for (const stroke of strokes) {
    const at = ([x, y]) => [canvas.x + x * canvas.w, canvas.y + y * canvas.h];
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (let i = 1; i < stroke.length; ++i) {
      // Intermediate points, so each frame sees a short segment as with a real hand.
      const [x0, y0] = at(stroke[i - 1]), [x1, y1] = at(stroke[i]);
      for (let t = 1; t <= 4; ++t) {
        await page.mouse.move(x0 + (x1 - x0) * t / 4, y0 + (y1 - y0) * t / 4);
        await waitFrames(page, 1);
      }
    }
    await page.mouse.up();
    await waitFrames(page, 2);
  }
}
