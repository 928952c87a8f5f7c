// serve.mjs — a static file server for dist/ with the right MIME types (application/wasm,
// so browsers compile while downloading). No server logic: any static host serves dist/ the same.
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--dir dist]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const port = Number(arg('--port', process.env.PORT || 8080));
const host = arg('--host', '127.0.0.1');
const dir = path.resolve(arg('--dir', path.join(root, 'dist')));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.css': 'text/css',
  '.gz': 'application/gzip', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

export function startServer({ port: p = port, host: h = host, dir: d = dir } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.normalize(path.join(d, decodeURIComponent(url.pathname)));
    if (!file.startsWith(d)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'); return; }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, h, () => resolve(server));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startServer().then((server) => {
    const { port: actual } = server.address();
    console.log(`Image Model Playground: http://${host}:${actual}/`);
    console.log(`(serving ${path.relative(process.cwd(), dir) || dir}; Ctrl+C stops)`);
  }).catch((e) => {
    console.error(`serve: cannot listen on ${host}:${port}: ${e.message}`);
    process.exit(1);
  });
}
