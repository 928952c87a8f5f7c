// bad-input.test.mjs — bad input never crashes the page, and says what went wrong: a missing or
// unreachable app.js/app.wasm, a corrupt MNIST download, a file too large to import or that cannot
// be read, memory that runs out, and a NUL (%00) in a URL value. Screenshots of each message land
// in build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSession, closeLab, openLab, openPage, waitForApp, waitFrames, screenshot } from './harness.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const state = (page) => page.evaluate(() => window.implay.state());
const centre = (r) => [r.x + r.w / 2, r.y + r.h / 2];
const notFound = (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found\n' });

test('app.wasm or app.js missing or unreachable: the page names the file and the cause, and keeps saying it', async () => {
  const cases = [
    ['app-wasm-404', '**/app.wasm', notFound, /app\.wasm: the server answered HTTP 404/],
    ['app-js-404', '**/app.js', notFound, /app\.js: the server answered HTTP 404/],
    ['app-wasm-offline', '**/app.wasm', (route) => route.abort('internetdisconnected'), /app\.wasm: network failure/],
  ];
  for (const [name, url, handler, expected] of cases) {
    const { page, context, problems } = await openPage(session, '?lab=data', { routes: [[url, handler]] });
    await page.waitForSelector('#failed:not([hidden])', { timeout: 15000 });
    // The data subset keeps downloading meanwhile; once all four files are in, its progress
    // must not have replaced the message.
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/data/subset/') && e.responseEnd > 0).length === 4, null, { timeout: 30000 });
    const message = await page.textContent('#failure');
    assert.match(message, expected, name);
    assert.equal(await page.isVisible('#loading'), false, `${name}: the progress card gives way to the message`);
    await screenshot(page, `bad-input-${name}`);
    // Only the failure itself reaches the console and the network log.
    const file = url.slice(3);
    const unrelated = problems.filter((p) => !p.includes(file) && !p.includes('Failed to load resource'));
    assert.deepEqual(unrelated, [], name);
    await context.close();
  }
});

test('a corrupt MNIST download is reported as corrupt, naming the file, and the app keeps running', async () => {
  const garbage = Buffer.alloc(4096, 0x5a);
  const cases = [
    // gzip's magic bytes, then garbage: it does not gunzip (Chromium alone would say "Failed to fetch").
    ['not-gzip', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), garbage]),
      /subset\/train-images-idx3-ubyte\.gz is corrupt: its 4\.1 kB do not gunzip/],
    // No gzip at all: the bytes go to the app, whose IDX parser names the file and the fault.
    ['not-idx', garbage, /subset\/train-images-idx3-ubyte: wrong magic number/],
  ];
  for (const [name, body, expected] of cases) {
    const { page, context, problems } = await openPage(session, '?lab=data', {
      routes: [['**/data/subset/train-images-idx3-ubyte*', (route) => route.fulfill({ status: 200, contentType: 'application/gzip', body })]],
    });
    await waitForApp(page, { data: false });
    await page.waitForFunction(() => window.implay.state().data.error !== '', null, { timeout: 30000 });
    const s = await state(page);
    assert.match(s.data.error, expected, name);
    assert.equal(s.data.train, 0);
    await waitFrames(page);
    await screenshot(page, `bad-input-data-${name}`);
    assert.deepEqual(problems.filter((p) => !p.includes('net::ERR_ABORTED')), [], name);
    await context.close();
  }
});

// One 28×28 sketch (a vertical bar) as an IDX images file.
function oneSketchIdx() {
  const bytes = Buffer.alloc(16 + 28 * 28);
  bytes.writeUInt32BE(0x803, 0);
  bytes.writeUInt32BE(1, 4);
  bytes.writeUInt32BE(28, 8);
  bytes.writeUInt32BE(28, 12);
  for (let y = 6; y < 22; ++y) bytes[16 + y * 28 + 14] = 255;
  return bytes;
}

// A file of `size` bytes that takes no room on disk (sparse).
function sparseFile(dir, name, size) {
  const file = path.join(dir, name);
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, size);
  return file;
}

test('importing a file too large or unreadable is refused with its name and the limit; the set is kept', async () => {
  const { page, context, problems, warnings } = await openLab(session, '?lab=sketch&mode=sketches', { probe: 'sketch.import', probeTimeout: 60000 });
  const importButton = (await state(page)).sketch.import;
  const pick = async (files) => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.mouse.click(...centre(importButton))]);
    await chooser.setFiles(files);
  };
  await pick({ name: 'one.idx', mimeType: 'application/octet-stream', buffer: oneSketchIdx() });
  await page.waitForFunction(() => window.implay.state().sketch.sketches === 1, null, { timeout: 10000 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'implay-big-'));
  // The page's notice, dismissed after reading so the next case waits for its own.
  const notice = async (screenshotName) => {
    await page.waitForSelector('#notice:not([hidden])', { timeout: 10000 });
    if (screenshotName) await screenshot(page, screenshotName);
    const text = await page.textContent('#notice span');
    await page.click('#notice button');
    return text;
  };
  for (const [name, size, said] of [['huge.idx', 2 * 1024 ** 3, '2.1 GB'], ['just-over.idx', 64e6 + 1, '64,000,001 bytes']]) {
    await pick(sparseFile(dir, name, size));
    assert.equal(await notice(name === 'huge.idx' && 'bad-input-import-too-large'),
      `${name} was not opened: it is ${said}, and a sketch set may be at most 64 MB.`);
  }

  // A read that fails (the file changed or vanished after it was picked): Chromium throws a
  // NotReadableError, here faked, whose message may be empty.
  await page.evaluate(() => {
    Blob.prototype.arrayBuffer = () => Promise.reject(new DOMException('', 'NotReadableError'));
  });
  await pick({ name: 'gone.idx', mimeType: 'application/octet-stream', buffer: oneSketchIdx() });
  assert.equal(await notice(), 'Could not read gone.idx: NotReadableError.');

  await waitFrames(page);
  const s = await state(page);
  assert.equal(s.sketch.sketches, 1, 'the set already there is kept');
  assert.ok(warnings.some((w) => w.includes('[implay] huge.idx was not opened')), 'the refusal is in the console too');
  await closeLab(context, problems);
});

test('memory that runs out while handing MNIST to the app is reported, not written to address 0', async () => {
  const { page, context, problems } = await openLab(session, '?lab=data', { probe: 'data.load_full' });
  const button = (await state(page)).data.load_full;
  await page.evaluate(() => { Module._malloc = () => 0; });  // as a failed allocation answers under memory growth
  await page.mouse.click(...centre(button));
  await page.waitForFunction(() => window.implay.state().data.error !== '', null, { timeout: 60000 });
  const s = await state(page);
  assert.match(s.data.error, /loading MNIST \(full\) failed: out of memory: no room for [a-z0-9-]+-ubyte \(\d+(\.\d)? [kM]B\)/);
  assert.equal(s.data.train, 10000, 'the subset already loaded stays');
  await waitFrames(page);
  await screenshot(page, 'bad-input-out-of-memory');
  await closeLab(context, problems);
});

test('a %00 in a URL value gives a console warning and the value is ignored', async () => {
  const { page, context, problems, warnings, state: s } = await openLab(session, '?lab=knn&mode=2d&k=7%00junk', { data: false });
  assert.equal(s.knn.k, 5, 'k keeps its default instead of the 7 before the NUL');
  const ours = warnings.filter((w) => w.includes('[implay]'));
  assert.ok(ours.some((w) => w.includes('k=7%00junk ignored') && w.includes('NUL')), ours.join('\n'));
  await closeLab(context, problems);
});

test('counts= that do not fit the table are refused with a warning; the example counts stay', async () => {
  for (const [counts, why] of [['1,2', '2 counts: the table has 6 rows'], ['0,0,0,0,0,0', 'every count is 0'], ['1,x,3,4,5,6', "count 'x'"]]) {
    const { page, context, problems, warnings, state: s } = await openLab(session, `?lab=prob&table=greetings&counts=${counts}`, { data: false });
    assert.deepEqual(s.prob.counts, [12, 0, 8, 2, 14, 4], `counts=${counts} leaves the example table`);
    const ours = warnings.filter((w) => w.includes('[implay]'));
    assert.ok(ours.some((w) => w.includes('counts=') && w.includes(why)), `counts=${counts}: ${ours.join('\n')}`);
    await waitFrames(page, 2);
    await closeLab(context, problems);
  }
});
