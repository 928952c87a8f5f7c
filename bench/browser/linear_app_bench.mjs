// linear_app_bench.mjs — the linear classifier lab measured in headless Chromium, in the real
// page: load the full 60,000 / 10,000 MNIST sets, train with the lab's defaults (raw pixels,
// Adam, lr 0.01 halved per epoch, batch 100, 5 epochs, L2 λ = 1e-5), and print the test
// accuracy, the compute time per epoch and the frame rate while training, next to
// scikit-learn's figures on the same split (LogisticRegression 92.67 %, Crammer–Singer
// LinearSVC 93.03 %, quoted from the issue).
//   node bench/browser/linear_app_bench.mjs [softmax|svm ...]
// Needs a built bundle (scripts/build). A benchmark, not a test: exits 0 unless the page fails.
import { startSession, openPage } from '../../tests/browser/harness.mjs';

const losses = process.argv.slice(2).length ? process.argv.slice(2) : ['softmax', 'svm'];
const session = await startSession();
const rows = [];
try {
  for (const loss of losses) {
    const { page, context, problems } = await openPage(session, `?lab=linear&mode=mnist&loss=${loss}`);
    await page.waitForFunction(() => window.implay?.firstFrameAt && window.implay.state().data.train > 0, null, { timeout: 60000 });
    // The full sets, through the same loader the "Load the full sets" button uses.
    await page.evaluate(() => window.implayData.load('full'));
    await page.waitForFunction(() => window.implay.state().data.set === 'full', null, { timeout: 120000 });
    // Frames per second of the same page before training: headless Chromium renders WebGL2 in
    // software (SwiftShader), which bounds the frame rate whatever the app does.
    const idle0 = await page.evaluate(() => window.implay.state().frames);
    await page.waitForTimeout(2000);
    const idleFps = ((await page.evaluate(() => window.implay.state().frames)) - idle0) / 2;
    const s0 = await page.evaluate(() => window.implay.state());
    await page.mouse.click(s0.linear.play.x + s0.linear.play.w / 2, s0.linear.play.y + s0.linear.play.h / 2);
    const t0 = Date.now();
    await page.waitForFunction(() => window.implay.state().linear.training, null, { timeout: 60000 });
    await page.waitForFunction(() => window.implay.state().linear.done, null, { timeout: 600000, polling: 500 });
    await page.waitForFunction(() => window.implay.state().linear.test_accuracy > 0, null, { timeout: 60000 });
    const s = await page.evaluate(() => window.implay.state());
    const wall = (Date.now() - t0) / 1000;
    rows.push({ loss, test: s.linear.test_accuracy, validation: s.linear.validation_accuracy,
                compute: s.linear.train_seconds, perEpoch: s.linear.train_seconds / 5, wall,
                fps: (s.frames - s0.frames) / wall, idleFps, problems: problems.length });
    await context.close();
  }
} finally {
  await session.close();
}
console.log('Linear classifier lab in headless Chromium, full MNIST (54,000 train + 6,000 validation, 10,000 test)');
console.log('loss      test acc   goal     sklearn   compute/epoch (goal ≤ 1 s, incl. evaluation)   frames/s training / idle');
for (const r of rows) {
  const goal = r.loss === 'softmax' ? 0.925 : 0.92;
  const peer = r.loss === 'softmax' ? 0.9267 : 0.9303;
  console.log(`${r.loss.padEnd(9)} ${r.test.toFixed(4)}     ≥${goal.toFixed(3)}   ${peer.toFixed(4)}    ` +
              `${r.perEpoch.toFixed(2)} s ${r.perEpoch <= 1 ? '(met)' : '(missed)'}${' '.repeat(30)} ${r.fps.toFixed(1)} / ${r.idleFps.toFixed(1)}` +
              (r.problems ? `  [${r.problems} console problems]` : ''));
}
