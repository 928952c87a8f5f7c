// conv.test.mjs — the Convolution lab driven like a student: the lecture's (6, 8) image under two
// (2, 2) filters gives (2, 5, 7) with the exact values of a reference cross-correlation, the
// window steps and follows the hovered output cell, stride and padding from the address change
// the shape by the formula, an impossible setting says why; filters slide over an MNIST digit
// and a drawn one, with ReLU and max-pool; the small CNN trains on MNIST in the page; and the
// "Why convolution" experiments: permuted pixels (MLP vs CNN), shifts and rotations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, closeLab, openLab, waitFrames, screenshot, distinctColors, framesDuringWork, scrollIntoView,
  DIGIT_STROKES, drawStrokes } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const click = (page, r) => page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);

// The lab's default example, written out independently: a 4 × 3 block of ones at rows 1–4,
// columns 2–4 of a 6 × 8 image; filter 1 = [-1 1; -1 1], filter 2 = [-1 -1; 1 1].
function referenceOutput({ H = 6, W = 8, stride = [1, 1], pad = [0, 0] } = {}) {
  const image = Array.from({ length: H }, (_, r) => Array.from({ length: W }, (_, c) => (r >= 1 && r <= 4 && c >= 2 && c <= 4 ? 1 : 0)));
  const filters = [[[-1, 1], [-1, 1]], [[-1, -1], [1, 1]]];
  const at = (r, c) => (r < 0 || c < 0 || r >= H || c >= W ? 0 : image[r][c]);
  const oh = Math.floor((H + 2 * pad[0] - 2) / stride[0]) + 1, ow = Math.floor((W + 2 * pad[1] - 2) / stride[1]) + 1;
  const out = [];
  for (const f of filters)
    for (let i = 0; i < oh; ++i)
      for (let j = 0; j < ow; ++j) {
        let sum = 0;
        for (let u = 0; u < 2; ++u)
          for (let v = 0; v < 2; ++v) sum += f[u][v] * at(i * stride[0] - pad[0] + u, j * stride[1] - pad[1] + v);
        out.push(sum);
      }
  return { shape: [2, oh, ow], out };
}

test('sliding filter: (6, 8) under two (2, 2) filters gives (2, 5, 7), exactly; the window steps and follows the mouse', async () => {
  const { page, context, problems } = await openLab(session, '?lab=conv', { data: false, probe: 'conv.slide_output0' });
  await waitFrames(page, 3);  // the layout settles (the "Try this" panel above the lab takes its height)
  let s = await state(page);
  const want = referenceOutput();
  assert.deepEqual(s.conv.slide.shape, [2, 5, 7]);
  assert.deepEqual(s.conv.slide.output, want.out);
  assert.deepEqual(s.conv.slide.cell, [0, 0]);
  // Step moves the window one cell along the row.
  await click(page, s.conv.slide_step);
  await page.waitForFunction(() => window.implay.state().conv.slide.cell[1] === 1, null, { timeout: 10000 });
  // Hovering output 1's cell (2, 3) puts the window there; the products add up to its value.
  const out = await scrollIntoView(page, 'conv', 'slide_output0');
  await page.mouse.move(out.x + (3.5 / 7) * out.w, out.y + (2.5 / 5) * out.h);
  await page.waitForFunction(() => {
    const c = window.implay.state().conv.slide.cell;
    return c[0] === 2 && c[1] === 3;
  }, null, { timeout: 10000 });
  s = await state(page);
  assert.equal(s.conv.slide.value, want.out[2 * 7 + 3]);
  assert.match(s.conv.slide.products, new RegExp(`= ${want.out[2 * 7 + 3]}$`));
  await screenshot(page, 'conv-slide');
  await closeLab(context, problems);
});

test('sliding filter: stride and padding from the address change the shape by the formula; an impossible kernel says why', async () => {
  let { page, context, problems } = await openLab(session, '?lab=conv&stride_rows=2&pad_cols=1', { data: false, probe: 'conv.slide_output0' });
  let s = await state(page);
  const want = referenceOutput({ stride: [2, 1], pad: [0, 1] });
  assert.deepEqual(s.conv.slide.shape, want.shape);
  assert.deepEqual(s.conv.slide.shape, [2, 3, 9]);
  assert.deepEqual(s.conv.slide.output, want.out);
  await closeLab(context, problems);
  ({ page, context, problems } = await openLab(session, '?lab=conv&h=3&kh=5', { data: false, probe: 'conv.slide_input' }));
  s = await state(page);
  assert.equal(s.conv.slide.valid, false);
  assert.deepEqual(s.conv.slide.shape, []);
  assert.match(s.conv.slide.error, /kernel 5 \(dilation 1\) is larger than the padded input 3 \+ 2·0 = 3 along rows/);
  await screenshot(page, 'conv-slide-impossible');
  await closeLab(context, problems);
});

test('filters on a digit: the MNIST image and a drawn 7 each give four feature maps, ReLU and max-pool to 14 × 14', async () => {
  const { page, context, problems } = await openLab(session, '?lab=conv&mode=digit', { probe: 'conv.digit_map0' });
  let s = await state(page);
  assert.equal(s.conv.digit.has_digit, true);
  assert.equal(s.conv.digit.maps.length, 4);
  for (const m of s.conv.digit.maps) {
    assert.ok(m.conv_max > 0, `a map responds: ${JSON.stringify(m)}`);
    assert.equal(m.pooled, 14 * 14);
    assert.ok(m.pooled_max <= m.conv_max + 1e-6, 'pooling keeps values of the map');
  }
  const shot = await screenshot(page, 'conv-digit');
  assert.ok(distinctColors(shot.image, s.conv.digit_map0) >= 3, 'the feature map is drawn');
  // Switch to a drawing and draw a 7.
  await click(page, s.conv.digit_drawn);
  const canvas = await scrollIntoView(page, 'conv', 'digit_canvas');
  await drawStrokes(page, canvas, DIGIT_STROKES[7]);
  await page.waitForFunction(() => window.implay.state().conv.digit.drawn && window.implay.state().conv.digit.has_digit,
    null, { timeout: 20000 });
  s = await state(page);
  assert.ok(s.conv.digit.maps[0].conv_max > 0, 'the drawn digit has edges');
  await closeLab(context, problems);
});

test('train a CNN: one epoch on 1,000 MNIST images in the page learns; a drawn digit goes through every layer', async () => {
  const { page, context, problems } = await openLab(session, '?lab=conv&mode=train&cnn_images=1000', { probe: 'conv.cnn_train' });
  let s = await state(page);
  await click(page, s.conv.cnn_train);
  await page.waitForFunction(() => window.implay.state().conv.train.training, null, { timeout: 60000, polling: 100 });
  const during = await framesDuringWork(page, { running: (s) => s.conv.train.training, progress: (s) => s.conv.train.progress });
  assert.ok(during.stillRunning, `the page kept drawing while training (${during.framesDrawn} frames before it ended)`);
  await page.waitForFunction(() => window.implay.state().conv.train.done, null, { timeout: 600000, polling: 250 });
  s = await state(page);
  const t = s.conv.train;
  console.log(`  1 epoch of the CNN on ${t.train_rows} images: ${t.train_seconds.toFixed(1)} s of compute, ` +
              `${Math.round(t.examples_per_second)} examples/s; test accuracy ${t.test_accuracy.toFixed(4)}; ` +
              `cross-entropy ${t.first_cross_entropy.toFixed(3)} → ${t.train_cross_entropy.toFixed(3)}`);
  assert.equal(t.train_rows, 1000);
  assert.equal(t.steps, Math.ceil(1000 / 16), 'every minibatch of the epoch was trained');
  assert.ok(t.test_accuracy > 0.6, `test accuracy ${t.test_accuracy}`);
  assert.ok(t.train_cross_entropy < t.first_cross_entropy, 'the loss fell');
  assert.equal(t.filters, 8, 'the first layer\'s 8 filters are shown');
  const canvas = await scrollIntoView(page, 'conv', 'cnn_canvas');
  await drawStrokes(page, canvas, DIGIT_STROKES[1]);
  await page.waitForFunction(() => window.implay.state().conv.train.digit_layers === 6, null, { timeout: 20000 });
  s = await state(page);
  assert.ok(s.conv.train.prediction >= 0 && s.conv.train.prediction <= 9);
  await screenshot(page, 'conv-train');
  await closeLab(context, problems);
});

test('why convolution: permuted pixels leave the MLP as it was and cost the CNN its edge; a rotation fools it, a shift moves its maps', async () => {
  const { page, context, problems } = await openLab(session, '?lab=conv&mode=why&why_images=2000&why_image=0',
    { probe: 'conv.why_run' });
  let s = await state(page);
  assert.equal(s.conv.tab, 3);
  assert.equal(s.conv.why.run, -1);
  await click(page, s.conv.why_run);
  await page.waitForFunction(() => window.implay.state().conv.why.run === 4, null, { timeout: 600000, polling: 250 });
  s = await state(page);
  const w = s.conv.why;
  const [mlpPlain, mlpPermuted, cnnPlain, cnnPermuted] = w.accuracy;
  console.log(`  2,000 images, one epoch each: MLP ${mlpPlain.toFixed(4)} → ${mlpPermuted.toFixed(4)} permuted; ` +
              `CNN ${cnnPlain.toFixed(4)} → ${cnnPermuted.toFixed(4)} permuted (${w.seconds.map((x) => x.toFixed(1)).join(' / ')} s)`);
  assert.equal(w.error, '');
  // The MLP treats the 784 inputs alike: the shuffle changes its accuracy by noise only.
  assert.ok(Math.abs(mlpPermuted - mlpPlain) < 0.02, `MLP ${mlpPlain} vs ${mlpPermuted}`);
  // The CNN beats the MLP on real pixels and loses that edge on shuffled ones.
  assert.ok(cnnPlain > mlpPlain, `CNN ${cnnPlain} vs MLP ${mlpPlain}`);
  assert.ok(cnnPlain - cnnPermuted > 0.05, `CNN ${cnnPlain} vs ${cnnPermuted} permuted`);
  // The experiment's nets score test image 0 (a 7) under every angle and shift.
  await page.waitForFunction(() => window.implay.state().conv.why.cnn_by_angle.length === 37, null, { timeout: 20000 });
  s = await state(page);
  assert.equal(s.conv.why.cnn_source, 'experiment');
  assert.equal(s.conv.why.tracked_class, 7);
  assert.deepEqual(s.conv.why.angles.slice(0, 2), [-90, -85]);
  assert.equal(s.conv.why.shifts.length, 17);
  const upright = s.conv.why.cnn_by_angle[18];  // 0°
  assert.ok(upright > 0.5, `p(7) upright ${upright}`);
  assert.ok(Math.min(s.conv.why.cnn_by_angle[0], s.conv.why.cnn_by_angle[36]) < upright, 'a quarter turn costs probability');
  assert.equal(s.conv.why.maps, 8);
  assert.ok(s.conv.why.map_mismatch >= 0 && s.conv.why.map_mismatch < 1e-4, `unmoved maps differ by ${s.conv.why.map_mismatch}`);
  await screenshot(page, 'conv-why');
  await closeLab(context, problems);
  // The address carries the move: a 3-px shift moves the maps and nothing else; a 45° turn does not.
  for (const [query, small] of [['shift_x=3&shift_y=-2', true], ['angle=45', false]]) {
    const again = await openLab(session, `?lab=conv&mode=why&why_images=1000&why_image=0&${query}`, { probe: 'conv.why_run' });
    s = await state(again.page);
    await click(again.page, s.conv.why_run);
    await again.page.waitForFunction(() => window.implay.state().conv.why.map_mismatch >= 0, null, { timeout: 600000, polling: 250 });
    s = await state(again.page);
    const m = s.conv.why.map_mismatch;
    if (small) assert.ok(m < 1e-4, `shifted maps differ from the maps shifted by ${m}`);
    else assert.ok(m > 0.1, `rotated maps differ from the maps rotated by only ${m}`);
    await closeLab(again.context, again.problems);
  }
});

test('filters on a digit: a kernel you paint — the identity gives the digit back; typing a weight scales its map', async () => {
  const identity = '0,0,0,0,1,0,0,0,0';
  const { page, context, problems } = await openLab(session,
    `?lab=conv&mode=digit&image_index=0&filter1=painted&painted1=${identity}&relu=0`, { probe: 'conv.digit_painted0' });
  await page.waitForFunction(() => window.implay.state().conv.digit.has_digit, null, { timeout: 30000 });
  let s = await state(page);
  const m = s.conv.digit.maps[0];
  assert.equal(m.side, 3);
  assert.deepEqual(m.filter, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
  // The identity kernel returns the digit itself: pixels / 255 in 0..1, the darkest ink 1.
  assert.equal(m.conv_min, 0);
  assert.ok(Math.abs(m.conv_max - 1) < 1e-6, `identity map max ${m.conv_max}`);
  // Type 3 into the centre weight (double-click the cell, type, Enter): the map is 3 times the digit.
  // The layout settles first (the "Try this" panel above the lab takes its height).
  await waitFrames(page, 3);
  const first = (await state(page)).conv.digit_painted0;
  const centre = { x: first.x + first.w * 1.5 + 2, y: first.y + first.h * 1.5 + 2 };
  await page.mouse.move(centre.x, centre.y);
  await waitFrames(page, 2);  // ImGui sees the pointer over the cell before the press
  await page.mouse.dblclick(centre.x, centre.y);
  await page.waitForFunction(() => window.implay.state().typing, null, { timeout: 10000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.implay.state().conv.digit.maps[0].filter[4] === 3, null, { timeout: 10000 });
  s = await state(page);
  assert.ok(Math.abs(s.conv.digit.maps[0].conv_max - 3) < 1e-5, `map max ${s.conv.digit.maps[0].conv_max}`);
  await page.waitForFunction(() => location.search.includes('painted1=0%2C0%2C0%2C0%2C3') || location.search.includes('painted1=0,0,0,0,3'),
    null, { timeout: 10000 });
  await screenshot(page, 'conv-digit-painted');
  await closeLab(context, problems);
});
