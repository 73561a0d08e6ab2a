// nova-novncproxy's plain HTTP side: the console pages and, under /novnc/, the noVNC client
// library as the npm package @novnc/novnc ships it (core/ and vendor/ stay siblings: core imports
// ../vendor/pako/…). Read-only, GET and HEAD, nothing outside the package's core/ and vendor/.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolePage, PAGE_SCRIPT } from './novnc-pages.ts';

/** The directory of the installed @novnc/novnc package. */
export function novncRoot(): string {
  // The package exports only core/rfb.js.
  return dirname(dirname(fileURLToPath(import.meta.resolve('@novnc/novnc'))));
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

const PAGE_CSP = [
  "default-src 'self'",
  `script-src 'self' 'sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');

const PAGES: Readonly<Record<string, string>> = {
  '/vnc_auto.html': consolePage('auto'),
  '/vnc_lite.html': consolePage('lite'),
};

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra }).end(`${text}\n`);
}

/** The request handler of the pages and the library files under `root`. */
export function novncWeb(root = novncRoot()): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'Method not allowed', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://x');
    const head = req.method === 'HEAD';
    if (url.pathname === '/')
      return plain(res, 302, 'See /vnc_lite.html', { location: `/vnc_lite.html${url.search}` });
    const page = PAGES[url.pathname];
    if (page !== undefined) {
      res.writeHead(200, {
        'content-type': TYPES['.html'],
        'content-security-policy': PAGE_CSP,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      return void res.end(head ? undefined : page);
    }
    if (!url.pathname.startsWith('/novnc/')) return plain(res, 404, 'Not found');
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(url.pathname.slice('/novnc/'.length)));
    } catch {
      return plain(res, 400, 'Bad path');
    }
    const file = join(root, rel);
    const inside = ['core', 'vendor'].some((d) => file.startsWith(join(root, d) + sep));
    const type = TYPES[extname(file)];
    if (!inside || !type) return plain(res, 404, 'Not found');
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return plain(res, 404, 'Not found');
      size = st.size;
    } catch {
      return plain(res, 404, 'Not found');
    }
    res.writeHead(200, { 'content-type': type, 'content-length': size, 'cache-control': 'max-age=3600' });
    if (head) return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
