// nova-novncproxy's own console pages. The npm package @novnc/novnc ships only the client library
// (core/ and vendor/), so /vnc_auto.html (the whole window, what novncproxy_base_url names) and
// /vnc_lite.html (plus a toolbar) are written here. Like upstream's pages they read `token` and
// `path` from the query string and open the websocket back to the page's own host and port.

export type PageKind = 'auto' | 'lite';

/** The page's module script: noVNC's RFB on the websocket built from `path` and `token`. */
export const PAGE_SCRIPT = `
import RFB from '/novnc/core/rfb.js';
const params = new URLSearchParams(location.search);
const status = document.getElementById('status');
const show = (state, text) => {
  document.body.dataset.state = state;
  status.textContent = text;
};
let path = params.get('path') ?? 'websockify';
const token = params.get('token');
if (token) path += (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const url = scheme + '://' + location.host + '/' + path.replace(/^\\/+/, '');
show('connecting', 'Connecting…');
const rfb = new RFB(document.getElementById('screen'), url, { wsProtocols: ['binary'] });
rfb.scaleViewport = params.get('scale') !== 'false';
rfb.resizeSession = false;
let name = '';
rfb.addEventListener('desktopname', (e) => {
  name = e.detail.name;
  document.title = name;
  if (document.body.dataset.state === 'connected') show('connected', 'Connected to ' + name);
});
rfb.addEventListener('connect', () => {
  show('connected', name ? 'Connected to ' + name : 'Connected');
  rfb.focus();
});
rfb.addEventListener('disconnect', (e) =>
  show('disconnected', e.detail.clean ? 'Disconnected' : 'Connection failed (is the token valid and unused?)'),
);
rfb.addEventListener('credentialsrequired', () =>
  show('failed', 'The console asks for a password, which this page does not support'),
);
rfb.addEventListener('securityfailure', (e) =>
  show('failed', 'Security negotiation failed: ' + (e.detail.reason || e.detail.status)),
);
const cad = document.getElementById('cad');
if (cad) cad.addEventListener('click', () => rfb.sendCtrlAltDel());
window.rfb = rfb;
`;

const STYLE = `
html, body { margin: 0; height: 100%; background: #282828; color: #eee; font: 14px sans-serif; }
body { display: flex; flex-direction: column; }
#bar { display: flex; gap: 1em; align-items: center; padding: 4px 8px; background: #3c3c3c; }
#status { flex: 1; }
body[data-state=failed] #status, body[data-state=disconnected] #status { color: #f88; }
#screen { flex: 1; overflow: hidden; }
`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** The HTML of one console page. */
export function consolePage(kind: PageKind, title = 'noVNC console'): string {
  const toolbar = kind === 'lite' ? '<button id="cad" type="button">Send Ctrl+Alt+Del</button>' : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body data-state="loading">
<div id="bar"><span id="status">Loading…</span>${toolbar}</div>
<div id="screen"></div>
<script type="module">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
