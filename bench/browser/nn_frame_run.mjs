// nn_frame_run.mjs — the Neural net lab's per-frame compute budget, measured in the real page in
// headless Chromium: 500 spiral points (3 arms of 167), an 8-8-8 net training on Play, the class
// regions and every neuron's map recomputed each frame. It prints the CPU time of one frame (the
// lab's update: an 8 ms training slice plus the maps; and the whole Frame with the UI it builds,
// from window.implay.state().compute, over its last 120 frames) and the frame rate the 90th
// percentile of Frame leaves, next to the goal of 30 frames/s, and the frames/s headless Chromium
// actually drew (SwiftShader renders WebGL2 on the CPU here, so that figure is the software
// renderer's bound, not the app's).
//   node bench/browser/nn_frame_run.mjs [--seconds 5]
// Needs a built bundle (scripts/build). A benchmark, not a test: exits 0 unless the page fails.
import { startSession, openPage } from '../../tests/browser/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('--seconds', 5);
const configs = [
  { name: '8-8-8, 500 points', query: '?lab=nn&layers=8,8,8&points=167' },
  { name: '16 (default), 300 points', query: '?lab=nn' },
];

const session = await startSession();
const rows = [];
try {
  for (const config of configs) {
    const { page, context, problems } = await openPage(session, config.query);
    await page.waitForFunction(() => window.implay?.firstFrameAt && window.implay.state().nn?.play?.w > 0, null, { timeout: 60000 });
    const s0 = await page.evaluate(() => window.implay.state());
    await page.mouse.click(s0.nn.play.x + s0.nn.play.w / 2, s0.nn.play.y + s0.nn.play.h / 2);
    await page.waitForFunction(() => window.implay.state().nn.playing, null, { timeout: 10000 });
    // Let the first epochs and the textures settle, then count frames over the window.
    await page.waitForFunction(() => window.implay.state().nn.epoch >= 5, null, { timeout: 60000 });
    const a = await page.evaluate(() => ({ frames: window.implay.state().frames, t: performance.now() }));
    // At least --seconds, and until the 120 frames the page's summary covers were all drawn playing.
    await page.waitForFunction(([t, f, sec]) => performance.now() - t >= 1000 * sec && window.implay.state().frames > f + 120,
      [a.t, a.frames, seconds], { timeout: 300000, polling: 200 });
    const b = await page.evaluate(() => ({ s: window.implay.state(), t: performance.now() }));
    rows.push({ name: config.name, points: b.s.nn.train_points + b.s.nn.test_points, layers: b.s.nn.layers,
                drawnFps: (b.s.frames - a.frames) / ((b.t - a.t) / 1000), compute: b.s.compute,
                epochs: b.s.nn.epoch, test: b.s.nn.test_accuracy, problems: problems.length });
    await context.close();
  }
} finally {
  await session.close();
}

console.log('Neural net lab, per-frame compute while training (regions and neuron maps refreshed every frame)');
console.log('net / points                 update ms (median / p90 / max)   Frame ms (median / p90 / max)   ' +
            'frames/s the p90 Frame allows (goal ≥ 30)   drawn by headless Chromium');
const ms = (x) => `${x.median.toFixed(1).padStart(5)} / ${x.p90.toFixed(1).padStart(5)} / ${x.max.toFixed(1).padEnd(6)}`;
for (const r of rows) {
  const u = r.compute.update_ms, f = r.compute.frame_ms;
  const allowed = 1000 / Math.max(f.p90, 1e-3);
  console.log(`${`${r.layers} net, ${r.points} points`.padEnd(28)} ${ms(u)}${' '.repeat(10)}${ms(f)}${' '.repeat(10)}` +
              `${allowed.toFixed(0).padStart(5)} ${allowed >= 30 ? '(met)' : '(missed)'}${' '.repeat(28)}` +
              `${r.drawnFps.toFixed(1)}   [${r.compute.frames} frames, epoch ${r.epochs}, test ${r.test.toFixed(3)}]` +
              (r.problems ? `  [${r.problems} console problems]` : ''));
}
