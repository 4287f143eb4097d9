/**
 * `tei-edition serve`: the static server answers only on 127.0.0.1, never
 * serves a file outside the output folder (.., encoded .., backslashes, NUL,
 * symlinks), adds the live-reload script to HTML without changing the built
 * files, and the watcher rebuilds and tells open pages to reload when a TEI
 * file of the corpus changes.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { resolveRequestPath, serve, startStaticServer, type StaticServer } from '../src/serve.ts';
import { SEED_CORPUS } from './helpers/build-edition.ts';

/** A raw GET (the path is sent exactly as given, no URL normalisation). */
function get(port: number, rawPath: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits for the next `reload` event on the live-reload stream. */
function nextReload(port: number, timeoutMs: number): { ready: Promise<void>; reloaded: Promise<void>; close: () => void } {
  let req: http.ClientRequest | undefined;
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const reloaded = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reload event')), timeoutMs);
    req = http.get({ host: '127.0.0.1', port, path: '/__tei-edition/events' }, (res) => {
      res.setEncoding('utf8');
      readyResolve();
      res.on('data', (chunk: string) => {
        if (chunk.includes('event: reload')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    req.on('error', () => {});
  });
  return { ready, reloaded, close: () => req?.destroy() };
}

describe('preview server (tei-edition serve)', function () {
  this.timeout(300_000);
  let tmp: string;
  let root: string;
  let server: StaticServer;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tei-serve-'));
    root = path.join(tmp, 'out');
    fs.mkdirSync(path.join(root, 'documents'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head><title>t</title></head><body>home</body></html>');
    fs.writeFileSync(path.join(root, 'documents', 'a b.html'), '<!doctype html><html><head></head><body>spaced</body></html>');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'link.txt'));
    fs.symlinkSync(tmp, path.join(root, 'up'));
    server = await startStaticServer({ root, port: 0, liveReload: true });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('listens on the loopback interface only', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves files of the output folder, index.html for folders, with types', async () => {
    const home = await get(server.port, '/');
    assert.equal(home.status, 200);
    assert.match(home.type, /^text\/html/);
    assert.match(home.body, /home/);
    assert.equal((await get(server.port, '/documents/a%20b.html')).status, 200);
    assert.equal((await get(server.port, '/missing.html')).status, 404);
  });

  it('never serves a file outside the output folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/documents/%2E%2E/%2E%2E/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt',
      '/%00index.html', '/link.txt', '/up/secret.txt', '/%', '/documents/..%2f..%2f..%2f..%2fetc/passwd']) {
      const r = await get(server.port, p);
      assert.equal(r.status, 404, `${p} → ${r.status}`);
      assert.ok(!r.body.includes('SECRET'), p);
    }
    assert.equal(await resolveRequestPath(root, '/../secret.txt'), undefined);
    assert.equal(await resolveRequestPath(root, '/link.txt'), undefined);
    assert.equal(await resolveRequestPath(root, '/index.html'), fs.realpathSync(path.join(root, 'index.html')));
  });

  it('adds the live-reload script to pages at serve time only, and signals reloads', async () => {
    const home = await get(server.port, '/index.html');
    assert.match(home.body, /<script src="\/__tei-edition\/live-reload\.js" defer><\/script><\/head>/);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'index.html'), 'utf8'), /live-reload/);
    const script = await get(server.port, '/__tei-edition/live-reload.js');
    assert.match(script.type, /javascript/);
    assert.match(script.body, /EventSource/);
    const stream = nextReload(server.port, 10_000);
    await stream.ready;
    server.reload();
    await stream.reloaded;
    stream.close();
  });

  it('rebuilds when a TEI file of the corpus changes and tells the pages to reload', async () => {
    const corpus = path.join(tmp, 'corpus');
    fs.cpSync(SEED_CORPUS, corpus, { recursive: true });
    const out = path.join(tmp, 'site');
    const lines: string[] = [];
    const running = await serve({ corpus, out, port: 0, validate: false, only: ['html'], log: (l) => lines.push(l) });
    try {
      const page = '/documents/letter-1950-08-27.html';
      assert.match((await get(running.server.port, page)).body, /Pass <a[^>]*>Gottwald<\/a> the following message orally/);
      const stream = nextReload(running.server.port, 240_000);
      await stream.ready;
      const file = path.join(corpus, 'letter-1950-08-27.xml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('the following message orally', 'the following message by word of mouth'));
      await stream.reloaded;
      stream.close();
      assert.match((await get(running.server.port, page)).body, /the following message by word of mouth/);
      assert.ok(lines.some((l) => /changed: .*letter-1950-08-27\.xml/.test(l)), lines.join('\n'));
    } finally {
      await running.stop();
    }
  });
});
