// url-state.test.mjs — the address is the state: for every lab a link's settings reach the lab,
// the address follows them (and a change in the UI), a reload and a fresh profile reproduce the
// view (the same seeded points); Share and Embed copy the right text; hide= and lock=1 work; the
// README's and embed-example.html's parameter lists agree with the labs' URL tables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startSession, closeLab, openLab, openPage, waitForApp, waitFrames, screenshot, root } from './harness.mjs';
import { renderReadme, renderHtml, section, rewriteSection, README_BEGIN, README_END, HTML_BEGIN, HTML_END } from './url-docs.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const paramsOf = (search) => Object.fromEntries(new URLSearchParams(search));

// Waits until the page's address holds exactly `expected` (as key/value pairs, any order).
async function waitForAddress(page, expected) {
  await page.waitForFunction((want) => {
    const have = Object.fromEntries(new URLSearchParams(window.location.search));
    const keys = Object.keys(want);
    return Object.keys(have).length === keys.length && keys.every((k) => have[k] === want[k]);
  }, expected, { timeout: 20000, polling: 100 });
  return paramsOf(new URL(page.url()).search);
}

// What must survive a reload: the lab's URL values and the fields that come from its seeded data.
function snapshot(state, lab, fields) {
  const s = state[lab];
  return { lab: state.lab, url: s.url, ...Object.fromEntries(fields.map((f) => [f, s[f]])) };
}

// For each lab: a link with settings away from the defaults, and the state fields it decides.
const CASES = [
  { lab: 'knn', query: { k: '7', metric: 'l1', weighted: '1', preset: 'spiral', classes: '4', points: '30', seed: '5' },
    fields: ['k', 'metric', 'weighted', 'preset', 'points', 'first_point'],
    check: (s) => { assert.equal(s.k, 7); assert.equal(s.points, 120); assert.equal(s.preset, 'spiral'); } },
  { lab: 'linear', query: { loss: 'softmax', reg: 'l1', lambda: '0.05', lr: '0.2', preset: 'circles', classes: '4', seed: '7' },
    fields: ['tab', 'loss', 'reg', 'lambda', 'lr', 'points', 'first_point'],
    check: (s) => { assert.equal(s.points, 48); assert.ok(Math.abs(s.lambda - 0.05) < 1e-6); } },
  { lab: 'roc', query: { threshold: '0.3', separation: '2', spread: '0.8', seed: '4', compare: '0' },
    fields: ['source', 'threshold', 'auc_a'],
    check: (s) => { assert.ok(Math.abs(s.threshold - 0.3) < 1e-6); assert.ok(s.auc_a > 0.5 && s.auc_a < 1); } },
  { lab: 'prob', query: { mode: 'tables', table: 'greetings', counts: '10,0,8,2,14,4', row: '2' }, omit: ['mode'],
    fields: ['tab', 'dataset', 'row', 'counts'],
    check: (s) => { assert.equal(s.dataset, 1); assert.equal(s.row, 2); assert.deepEqual(s.counts, [10, 0, 8, 2, 14, 4]); } },
  { lab: 'nn', query: { layers: '8,8', activation: 'tanh', features: 'x,y,xy', classes: '4', noise: '0.3', lr: '0.03', seed: '5', mnist_units: '64' },
    fields: ['layers', 'activation', 'features', 'train_points', 'first_point'],
    check: (s) => { assert.equal(s.layers, '8,8'); assert.equal(s.features, 'x,y,xy'); assert.equal(s.train_points, 280); assert.equal(s.mnist.hidden, 64); } },
  { lab: 'sketch', query: { mode: 'chain', chain: 'template', template: '8', temperature: '0.5', seed: '3' },
    fields: ['tab', 'neighbours'],
    check: (s) => { assert.equal(s.tab, 'chain'); assert.equal(s.neighbours, 8); } },
];

for (const c of CASES) {
  test(`${c.lab}: the address holds the settings, and a reload and a fresh profile reproduce them`, async () => {
    const query = '?' + new URLSearchParams({ lab: c.lab, ...c.query }).toString();
    let { page, context, problems, warnings, state } = await openLab(session, query);
    c.check(state[c.lab]);
    // Defaults are left out of the address (prob's mode=tables is its first tab).
    const expected = { lab: c.lab, ...c.query };
    for (const k of c.omit || []) delete expected[k];
    await waitForAddress(page, expected);
    await waitFrames(page, 3);
    const before = snapshot(await page.evaluate(() => window.implay.state()), c.lab, c.fields);
    assert.equal(before.lab, c.lab);
    for (const [k, v] of Object.entries(c.query)) assert.equal(before.url[k], v, `${c.lab} ${k}`);

    await page.reload();
    state = await waitForApp(page);
    await waitFrames(page, 3);
    assert.deepEqual(snapshot(await page.evaluate(() => window.implay.state()), c.lab, c.fields), before, 'after a reload');
    const link = page.url();

    const fresh = await openLab(session, new URL(link).search);
    await waitFrames(fresh.page, 3);
    assert.deepEqual(snapshot(await fresh.page.evaluate(() => window.implay.state()), c.lab, c.fields), before,
      'in a fresh profile');
    assert.deepEqual([...problems, ...fresh.problems], []);
    assert.deepEqual([...warnings, ...fresh.warnings].filter((w) => w.includes('[implay]')), []);
    await fresh.context.close();
    await context.close();
  });
}

test('a click in the navigation reaches the address: lab= follows', async () => {
  let { page, context, problems, state } = await openLab(session, '?lab=knn');
  assert.equal(state.knn.k, 5);
  const nav = state.nav.find((n) => n.key === 'roc');
  await page.mouse.move(nav.x + nav.w / 2, nav.y + nav.h / 2);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 2);
  await page.mouse.up();
  await page.waitForFunction(() => window.implay.state().lab === 'roc', null, { timeout: 10000 });
  assert.deepEqual(await waitForAddress(page, { lab: 'roc' }), { lab: 'roc' });
  await closeLab(context, problems);
});

test('a dragged k slider is in the address after the drag, and survives a reload', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn');
  await waitFrames(page, 3);
  assert.equal(await dragK(page), 25);
  await waitForAddress(page, { lab: 'knn', k: '25' });
  await page.reload();
  const state = await waitForApp(page);
  assert.equal(state.knn.k, 25);
  await closeLab(context, problems);
});

test('Share copies the page link and Embed the <iframe> snippet of the current view', async () => {
  const { page, context, problems } = await openPage(session, '?lab=roc&threshold=0.4');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.base });
  let state = await waitForApp(page);
  await waitForAddress(page, { lab: 'roc', threshold: '0.4' });
  await waitFrames(page, 2);
  state = await page.evaluate(() => window.implay.state());
  const click = async (r) => {
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await waitFrames(page, 2);
    await page.mouse.down();
    await waitFrames(page, 1);
    await page.mouse.up();
  };
  const link = session.base + 'index.html?lab=roc&threshold=0.4';
  await click(state.frame.share);
  await page.waitForFunction((want) => window.implay.state().copied === want, link, { timeout: 10000 });
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch((e) => 'unreadable: ' + e.message));
  if (!clip.startsWith('unreadable')) assert.equal(clip, link, 'the clipboard holds the link');
  await click(state.frame.embed);
  const snippet = `<iframe src="${link}&embed=1" width="900" height="600" title="ROC & AUC · Image Model Playground" loading="lazy"></iframe>`;
  await page.waitForFunction((want) => window.implay.state().copied === want, snippet, { timeout: 10000 });
  await waitFrames(page, 2);
  await screenshot(page, 'url-share-copied-1280x800');
  await closeLab(context, problems);
});

test('an embed offers "Open full page" instead of the navigation and its buttons', async () => {
  const { page, context, problems } = await openLab(session, '?lab=knn&embed=1&k=3', { viewport: { width: 900, height: 600 } });
  await waitForAddress(page, { lab: 'knn', k: '3', embed: '1' });
  await waitFrames(page, 2);
  const state = await page.evaluate(() => window.implay.state());
  assert.ok(state.frame.open_full, 'the Open full page button is drawn');
  assert.equal(state.frame.share, undefined, 'no Share button in an embed');
  assert.ok(state.frame.open_full.x + state.frame.open_full.w <= 900);
  await screenshot(page, 'url-embed-900x600');
  await closeLab(context, problems);
});

test('hide= hides the named panels; an unknown name warns with the valid ones', async () => {
  const shown = await openLab(session, '?lab=knn&embed=1', { viewport: { width: 900, height: 600 } });
  await shown.page.waitForFunction(() => window.implay.state().knn.plane !== undefined, null, { timeout: 10000 });
  await shown.context.close();

  const { page, context, problems, warnings } = await openPage(session, '?lab=knn&embed=1&hide=plane,bogus',
    { viewport: { width: 900, height: 600 } });
  await waitForApp(page);
  await waitFrames(page, 5);
  const state = await page.evaluate(() => window.implay.state());
  assert.equal(state.knn.plane, undefined, 'the plane is not drawn');
  assert.deepEqual(state.hidden, ['plane']);
  const warning = warnings.find((w) => w.includes('bogus'));
  assert.ok(warning, 'the unknown panel name is warned about');
  for (const name of ['settings', 'plane', 'summary', 'try']) assert.ok(warning.includes(name), `the warning lists ${name}`);
  await waitForAddress(page, { lab: 'knn', embed: '1', hide: 'plane' });
  await screenshot(page, 'url-hide-plane-900x600');
  await closeLab(context, problems);
});

// Drags k's slider to its right end; returns k afterwards (or 5 if nothing moved it).
async function dragK(page) {
  const slider = (await page.evaluate(() => window.implay.state())).knn.k_slider;
  await page.mouse.move(slider.x + 4, slider.y + slider.h / 2);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 2);
  await page.mouse.move(slider.x + slider.w - 2, slider.y + slider.h / 2, { steps: 5 });
  await waitFrames(page, 2);
  await page.mouse.up();
  await waitFrames(page, 4);
  return (await page.evaluate(() => window.implay.state())).knn.k;
}

test('lock=1 makes the settings read-only; without it the same drag changes k', async () => {
  const open = await openLab(session, '?lab=knn');
  await waitFrames(open.page, 3);
  assert.equal(await dragK(open.page), 25, 'the drag moves k when the settings are not locked');
  await open.context.close();

  const { page, context, problems, state } = await openLab(session, '?lab=knn&lock=1');
  assert.equal(state.locked, true);
  await waitFrames(page, 3);
  assert.equal(await dragK(page), 5, 'a locked slider keeps its value');
  await waitForAddress(page, { lab: 'knn', lock: '1' });
  await screenshot(page, 'url-locked-1280x800');
  await closeLab(context, problems);
});

test('the README and embed-example.html list exactly the parameters of the URL tables', async () => {
  const { page, context } = await openLab(session, '?lab=data', { data: false });
  const table = await page.evaluate(() => window.implay.urlTable());
  await context.close();
  for (const key of ['knn', 'linear', 'sketch', 'roc', 'prob'])
    assert.ok(table.labs[key].settings.some((s) => s.key === 'mode'), `${key} has mode=`);
  const files = [
    [path.join(root, 'README.md'), README_BEGIN, README_END, renderReadme(table)],
    [path.join(root, 'web', 'embed-example.html'), HTML_BEGIN, HTML_END, renderHtml(table)],
  ];
  for (const [file, begin, end, rendered] of files) {
    if (process.env.IMPLAY_UPDATE_DOCS === '1') rewriteSection(file, begin, end, rendered);
    const have = section(fs.readFileSync(file, 'utf8'), begin, end);
    assert.equal(have, rendered, `${path.relative(root, file)} disagrees with the URL tables ` +
      '(IMPLAY_UPDATE_DOCS=1 node --test tests/browser/url-state.test.mjs rewrites it)');
  }
});
