/**
 * `tei-edition serve`: a local preview of the web edition. A static file
 * server (node:http, loopback only) over the output folder — no path can
 * leave it (decoded, normalised, resolved, and checked against the real path,
 * so neither `..` nor a symlink escapes) — plus live reload: src/watch.ts watches
 * the corpus, the stylesheets and the assets, rebuilds with build(), and tells
 * open pages over Server-Sent Events to reload. The reload script is a file
 * (/__tei-edition/live-reload.js) added to HTML responses at serve time, so
 * the pages keep their CSP and the built files are not changed.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { formatLine } from './diagnostics.js';
import type { BuildOptions } from './pipeline.js';
import { watchBuild } from './watch.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8', '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.pdf': 'application/pdf', '.epub': 'application/epub+zip', '.bib': 'text/plain; charset=utf-8',
  '.ris': 'text/plain; charset=utf-8', '.woff2': 'font/woff2', '.zip': 'application/zip',
};

const RELOAD_PATH = '/__tei-edition/live-reload.js';
const EVENTS_PATH = '/__tei-edition/events';
const RELOAD_SCRIPT = `// tei-edition serve: reloads the page when the edition is rebuilt.
(function () {
  var source = new EventSource('${EVENTS_PATH}');
  source.addEventListener('reload', function () { location.reload(); });
})();
`;

export interface StaticServerOptions {
  /** Folder to serve. */
  root: string;
  /** Port (0 = any free port). */
  port?: number;
  /** Add the live-reload script to HTML pages and answer the event stream. */
  liveReload?: boolean;
}

export interface StaticServer {
  url: string;
  port: number;
  /** Tell every open page to reload. */
  reload(): void;
  close(): Promise<void>;
}

/**
 * Maps a request path to a file inside `root`, or undefined when it would
 * leave it (or is malformed). Directory paths get index.html.
 */
export async function resolveRequestPath(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const rootReal = await realpath(root);
  const normal = path.posix.normalize('/' + decoded);
  if (normal.split('/').includes('..')) return undefined;
  let file = path.join(rootReal, ...normal.split('/').filter(Boolean));
  if (file !== rootReal && !file.startsWith(rootReal + path.sep)) return undefined;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const real = await realpath(file);
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = path.resolve(options.root);
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = req.url ?? '/';
      if (options.liveReload && url === RELOAD_PATH) {
        res.writeHead(200, { 'Content-Type': TYPES['.js']!, 'Cache-Control': 'no-store' }).end(RELOAD_SCRIPT);
        return;
      }
      if (options.liveReload && url === EVENTS_PATH) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      const file = await resolveRequestPath(root, url);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
      if (options.liveReload && type.startsWith('text/html')) {
        const html = await readFile(file, 'utf8');
        const tag = `<script src="${RELOAD_PATH}" defer></script>`;
        const body = html.includes('</head>') ? html.replace('</head>', `${tag}</head>`) : html + tag;
        res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    reload() {
      for (const c of clients) c.write('event: reload\ndata: {}\n\n');
    },
    close() {
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ServeOptions extends BuildOptions {
  port?: number;
  /** Print a line (default: stdout). */
  log?: (line: string) => void;
}

/** Builds, serves, watches and rebuilds until the process ends; returns a stop function. */
export async function serve(options: ServeOptions): Promise<{ server: StaticServer; stop: () => Promise<void> }> {
  const log = options.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const corpus = path.resolve(options.corpus ?? 'tei');
  const out = path.resolve(options.out ?? 'build');
  let server: StaticServer | undefined;
  // The watcher of `build --watch` (warm cache and worker pool; stylesheets and assets watched too).
  const watcher = watchBuild({ ...options, corpus, out }, (r) => {
    for (const f of r.changed) log(`changed: ${path.relative(process.cwd(), f)}`);
    if (r.error) {
      log(`tei-edition: rebuild failed: ${(r.error as Error).message}`);
      return;
    }
    const result = r.result!;
    for (const m of result.messages) if (m.fatal === true) log(formatLine(m));
    log(`${result.errors ? '✗' : '✓'} ${result.documents} documents → ${result.files} files in ${(result.ms / 1000).toFixed(1)} s, ${result.errors} errors, ${result.warnings} warnings`);
    if (r.changed.length) server?.reload();
  });
  const first = await watcher.ready;
  if (first.error) {
    await watcher.close();
    throw first.error;
  }
  server = await startStaticServer({ root: out, port: options.port ?? 8080, liveReload: true });
  log(`Serving ${path.relative(process.cwd(), out) || '.'} at ${server.url} (Ctrl+C to stop)`);
  const s = server;
  return {
    server: s,
    async stop() {
      await watcher.close();
      await s.close();
    },
  };
}
