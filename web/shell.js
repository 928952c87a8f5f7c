// shell.js — the page around the WebAssembly app: checks that the browser has WebGL2 and
// WebAssembly SIMD (and says plainly what is missing otherwise), shows a progress bar while the
// app and the default MNIST subset download, fetches and gunzips MNIST files for the app, shows
// what went wrong when the app cannot start or a file cannot be used, lets the wheel scroll the
// page when the app has nothing to scroll, and exposes window.implay.state() and urlTable() for
// tests. Every URL here is relative: dist/ runs on any static host.
'use strict';

(function () {
  const overlay = document.getElementById('overlay');
  const progressBar = document.getElementById('progress');
  const statusLine = document.getElementById('status');

  // 2147483648 -> "2.1 GB", 64e6 -> "64 MB" (decimal units, as the progress line counts).
  const formatBytes = (n) => {
    const [unit, scale] = n >= 1e9 ? ['GB', 1e9] : n >= 1e6 ? ['MB', 1e6] : n >= 1e3 ? ['kB', 1e3] : ['bytes', 1];
    return (scale === 1 ? String(n) : (n / scale).toFixed(1).replace(/\.0$/, '')) + ' ' + unit;
  };
  // DOMExceptions such as NotReadableError may come with an empty message: keep their name.
  const describeError = (e) => (e && e.name && e.name !== 'Error' ? e.name + (e.message ? ': ' : '') : '') +
    String(e && e.message !== undefined ? e.message : e);

  // [1] Capabilities -------------------------------------------------------------------------
  // The smallest module using a v128 instruction (i8x16.splat of 0): validates only with SIMD.
  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
                                     10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  function missingFeatures() {
    const missing = [];
    let gl = null;
    try { gl = document.createElement('canvas').getContext('webgl2'); } catch (e) { gl = null; }
    if (!gl) missing.push('WebGL2 (the labs draw with it)');
    let simd = false;
    try { simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE); } catch (e) { simd = false; }
    if (typeof WebAssembly !== 'object') missing.push('WebAssembly (the labs compute with it)');
    else if (!simd) missing.push('WebAssembly SIMD (fixed-width SIMD, for fast nearest-neighbour search and training)');
    return missing;
  }
  const missing = missingFeatures();
  if (missing.length) {
    document.getElementById('loading').hidden = true;
    document.getElementById('unsupported').hidden = false;
    const list = document.getElementById('missing');
    for (const m of missing) {
      const li = document.createElement('li');
      li.textContent = m;
      list.appendChild(li);
    }
    document.getElementById('canvas').style.display = 'none';
    console.warn('[implay] not starting: missing ' + missing.join('; '));
    return;
  }

  // [2] Progress of everything the first screen needs, or why the app cannot start -------------
  let startFailed = false;  // once the failure is on screen, no progress update replaces it
  function showStartFailure(message) {
    if (startFailed) return;  // the first failure is the cause; the rest follow from it
    startFailed = true;
    document.getElementById('loading').hidden = true;
    document.getElementById('failed').hidden = false;
    document.getElementById('failure').textContent = message;
    console.error('[implay] ' + message);
  }

  // A message that the app itself cannot show: a file refused before it reached the app, or
  // memory that ran out. It stays until dismissed or replaced.
  const notice = document.getElementById('notice');
  notice.querySelector('button').addEventListener('click', () => { notice.hidden = true; });
  function showNotice(message) {
    notice.querySelector('span').textContent = message;
    notice.hidden = false;
    console.warn('[implay] ' + message);
  }

  const parts = new Map();  // name -> {received, total}
  function reportProgress(name, received, total) {
    if (startFailed) return;
    parts.set(name, { received, total });
    let r = 0, t = 0;
    for (const p of parts.values()) { r += p.received; t += p.total || p.received; }
    progressBar.value = t ? r / t : 0;
    statusLine.textContent = (r / 1e6).toFixed(1) + ' of ' + (t / 1e6).toFixed(1) + ' MB';
  }

  const httpStatus = (response) => 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '');

  // Errors name the URL and say whether the server answered (its HTTP status) or the network failed.
  async function fetchBytes(url, onProgress, signal) {
    let response;
    try {
      response = await fetch(url, signal ? { signal } : undefined);
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new Error(url + ': network failure (' + describeError(e) + ')');
    }
    if (!response.ok) throw new Error(url + ': the server answered ' + httpStatus(response));
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body) {
      const buffer = new Uint8Array(await response.arrayBuffer());
      onProgress(buffer.length, buffer.length);
      return buffer;
    }
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received, Math.max(total, received));
    }
    const out = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) { out.set(c, offset); offset += c.length; }
    return out;
  }

  // Some static hosts serve .gz files with Content-Encoding: gzip and the browser has already
  // decompressed them; look at the bytes rather than trust the name. Bytes that are not gzip go
  // to the app, whose IDX parser names the file and what is wrong with it.
  async function gunzipIfNeeded(bytes, url) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    try {
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (e) {
      // Chromium reports a broken gzip stream as "Failed to fetch", which reads like a network fault.
      throw new Error(url + ' is corrupt: its ' + formatBytes(bytes.length) + ' do not gunzip');
    }
  }

  // [3] MNIST for the app --------------------------------------------------------------------
  const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  let manifestPromise = null;
  const runtimeReady = new Promise((resolve) => { window.__implayRuntimeResolve = resolve; });
  const inFlight = new Map();  // set -> promise

  function loadSet(set) {
    if (inFlight.has(set)) return inFlight.get(set);
    manifestPromise = manifestPromise || fetchBytes('data/manifest.json', () => {}).then((bytes) => {
      try { return JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { throw new Error('data/manifest.json is corrupt: ' + e.message); }
    });
    const abort = new AbortController();
    let failed = false;
    const job = (async () => {
      const manifest = await manifestPromise;
      const received = new Map();
      let total = 0;
      for (const f of FILES) {
        if (!manifest.files?.[f]?.[set]) throw new Error('data/manifest.json lists no ' + set + ' file for ' + f);
        total += manifest.files[f][set].bytes;
      }
      const progress = (file, r) => {
        if (failed) return;  // a sibling download failed: keep the failure on screen
        received.set(file, r);
        let sum = 0;
        for (const v of received.values()) sum += v;
        if (set === 'subset') reportProgress('data', sum, total);
        runtimeReady.then(() => {
          if (!failed) Module.ccall('implay_data_progress', null, ['string', 'number', 'number'], [set, sum, total]);
        });
      };
      const files = await Promise.all(FILES.map(async (f) => {
        const url = 'data/' + manifest.files[f][set].path;
        const raw = await fetchBytes(url, (r) => progress(f, r), abort.signal);
        return [f, await gunzipIfNeeded(raw, url)];
      }));
      await runtimeReady;
      for (const [name, bytes] of files) {
        const ptr = Module._malloc(bytes.length);
        if (!ptr) throw new Error('out of memory: no room for ' + name + ' (' + formatBytes(bytes.length) + ')');
        Module.HEAPU8.set(bytes, ptr);
        Module.ccall('implay_data_file', null, ['string', 'string', 'number', 'number'], [set, name, ptr, bytes.length]);
        Module._free(ptr);
      }
    })().catch(async (error) => {
      failed = true;
      abort.abort();
      inFlight.delete(set);  // a later request (the app's "Try again") starts afresh
      manifestPromise = null;
      console.warn('[implay] loading MNIST (' + set + ') failed: ' + error.message);
      await runtimeReady;
      Module.ccall('implay_data_failed', null, ['string', 'string'], [set, String(error.message)]);
    });
    inFlight.set(set, job);
    return job;
  }
  window.implayData = { load: loadSet };
  loadSet('subset');  // in parallel with the app download

  // [4] The app ------------------------------------------------------------------------------
  window.implayShell = {
    firstFrame() { overlay.classList.add('hidden'); window.implay.firstFrameAt = performance.now(); },
    notice: showNotice,  // for host.cpp
    formatBytes,
    describeError,
  };
  // The wheel over the lab scrolls the page around it (a course page embedding it in an iframe)
  // unless the app has something under the pointer that scrolls. SDL preventDefault()s every
  // wheel event on the canvas; this capture-phase listener runs first and keeps from SDL the
  // events the app does not want, without preventDefault, so the browser scrolls the page.
  window.addEventListener('wheel', (event) => {
    if (event.target !== window.Module.canvas || !window.Module._implay_wants_wheel) return;
    if (!window.Module._implay_wants_wheel()) event.stopImmediatePropagation();
  }, { capture: true, passive: true });

  window.implay = {
    firstFrameAt: null,
    state() { return JSON.parse(Module.UTF8ToString(Module.ccall('implay_state_json', 'number', [], []))); },
    // Every lab's URL parameters and panels (the tables in each lab's .cpp): what README lists.
    urlTable() { return JSON.parse(Module.UTF8ToString(Module.ccall('implay_url_table_json', 'number', [], []))); },
  };

  window.Module = {
    canvas: document.getElementById('canvas'),
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    locateFile: (path) => path,
    // Fetch the .wasm ourselves to show its download progress, then compile it.
    instantiateWasm(imports, success) {
      fetchBytes('app.wasm', (r, t) => reportProgress('app', r, t))
        .then((bytes) => WebAssembly.instantiate(bytes, imports).catch((e) => {
          throw new Error('app.wasm is not a usable WebAssembly module (' + describeError(e) + ')');
        }))
        .then((result) => success(result.instance, result.module))
        .catch((error) => showStartFailure(error.message));
      return {};
    },
    onRuntimeInitialized() { window.__implayRuntimeResolve(); },
    onAbort(what) {
      if (window.implay.firstFrameAt === null) showStartFailure('The app stopped while starting: ' + what);
    },
  };
  const script = document.createElement('script');
  script.src = 'app.js';
  // A <script> error says nothing about why: ask again with fetch to name the status.
  script.onerror = () => {
    fetch('app.js', { cache: 'no-store' })
      .then((r) => 'app.js: ' + (r.ok ? 'downloaded, but the browser could not run it' : 'the server answered ' + httpStatus(r)))
      .catch((e) => 'app.js: network failure (' + describeError(e) + ')')
      .then(showStartFailure);
  };
  document.body.appendChild(script);
})();
