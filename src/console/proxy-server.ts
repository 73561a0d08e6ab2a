// A token-checked websocket console proxy (what nova-novncproxy and nova-serialproxy are): an HTTP
// server whose websocket upgrades carry a console token (`?token=` or cookie `token`, any path, so
// noVNC's `websockify` path works too). The token names the console endpoint — a compute's VNC or
// serial socket, TCP or (internal_access_path starting with '/') a unix socket. Once the endpoint
// answers the token is used up and the websocket's binary (and text) frames are piped to it as
// bytes, and its bytes back as binary frames: the RFB or serial stream goes through untouched.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../common/log.ts';
import { Fault, StartupError } from '../faults/fault.ts';
import type { ConsoleAuthToken } from '../objects/console-auth-token.ts';
import type { Stoppable } from '../service/launcher.ts';
import { ConsoleTokenRefused, findConsoleToken, type TokenCheckDeps, useUp } from './token-check.ts';

export interface ConsoleProxyOptions {
  /** The daemon's name for logs ('nova-novncproxy'). */
  readonly name: string;
  readonly host: string;
  /** 0: any free port (tests). */
  readonly port: number;
  /** The console types this proxy serves (a token of another type is refused). */
  readonly consoleTypes: readonly string[];
  readonly tokens: TokenCheckDeps;
  readonly log: Logger;
  /** Origins (host names) besides the proxy's own allowed to open websockets ([console] allowed_origins). */
  readonly allowedOrigins: readonly string[];
  /** Close a session when its token expires ([consoleauth] enforce_session_timeout). */
  readonly enforceSessionTimeout: boolean;
  /** Answers plain HTTP requests (the noVNC pages); absent: 404. */
  readonly web?: (req: IncomingMessage, res: ServerResponse) => void;
  readonly connectTimeoutMs?: number;
}

export interface ConsoleProxy extends Stoppable {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  /** Open console sessions. */
  sessions(): number;
}

const HIGH_WATER = 1 << 20;
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Refuses a websocket upgrade with an HTTP answer and a one-line reason. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The token of an upgrade request: `token` query parameter, else the `token` cookie. */
export function tokenOf(req: IncomingMessage): string | undefined {
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  if (q) return q;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === 'token') return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A browser's Origin must be the proxy's own host or an allowed one (no cross-site consoles). */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).hostname;
  } catch {
    return false;
  }
  const ownHost = new URL(`http://${req.headers.host ?? 'localhost'}`).hostname;
  return originHost === ownHost || allowed.includes(originHost);
}

function connectConsole(t: ConsoleAuthToken, timeoutMs: number): Promise<net.Socket> {
  const path = t.internal_access_path;
  return new Promise((resolve, reject) => {
    const sock = path?.startsWith('/') ? net.connect({ path }) : net.connect({ host: t.host, port: t.port });
    const timer = setTimeout(() => sock.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      sock.on('error', () => {}); // until pipe() listens: the session ends on 'close'
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const toBuffer = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/** Pipes websocket frames to the console socket and its bytes back, with backpressure both ways. */
function pipe(ws: WebSocket, sock: net.Socket, onClose: () => void): void {
  ws.on('message', (data) => {
    if (!sock.write(toBuffer(data))) {
      ws.pause();
      sock.once('drain', () => ws.resume());
    }
  });
  sock.on('data', (chunk) => {
    ws.send(chunk, { binary: true }, () => {
      if (sock.isPaused() && ws.bufferedAmount < HIGH_WATER / 2) sock.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER) sock.pause();
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    sock.destroy();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000, 'console closed');
    onClose();
  };
  sock.on('close', close);
  sock.on('error', close);
  ws.on('close', close);
  ws.on('error', close);
}

interface Session {
  readonly ws: WebSocket;
  readonly sock: net.Socket;
  timer?: NodeJS.Timeout;
}

interface Admitted {
  readonly t: ConsoleAuthToken;
  readonly sock: net.Socket;
}

/**
 * Checks an upgrade request (a websocket handshake, an allowed origin, a good token), connects the
 * console and uses the token up; throws a Fault with the HTTP status to refuse with.
 */
async function admit(o: ConsoleProxyOptions, req: IncomingMessage, timeoutMs: number): Promise<Admitted> {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key'])
    throw new Fault('Not a websocket handshake.', 400, 'nova.console_bad_request');
  if (!originAllowed(req, o.allowedOrigins))
    throw new Fault(
      `Origin ${req.headers.origin} may not open console connections.`,
      403,
      'nova.console_origin_refused',
    );
  const found = await findConsoleToken(o.tokens, tokenOf(req), o.consoleTypes);
  const t = found.record;
  let sock: net.Socket;
  try {
    sock = await connectConsole(t, timeoutMs);
  } catch (err) {
    o.log.warn(
      { error: (err as Error).message, instance_uuid: t.instance_uuid, host: t.host, port: t.port },
      `${o.name}: cannot reach the console of instance ${t.instance_uuid}`,
    );
    throw new Fault(
      `The console of instance ${t.instance_uuid} does not answer.`,
      502,
      'nova.console_unreachable',
    );
  }
  try {
    await useUp(found);
  } catch (err) {
    sock.destroy();
    throw err;
  }
  return { t, sock };
}

export async function startConsoleProxy(o: ConsoleProxyOptions): Promise<ConsoleProxy> {
  const { log } = o;
  const timeoutMs = o.connectTimeoutMs ?? 5000;
  const open = new Set<Session>();
  const wss = new WebSocketServer({
    noServer: true,
    // noVNC and websockify speak `binary`; a client offering no subprotocol gets none.
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  const server = createServer((req, res) => {
    if (o.web) return o.web(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const peer = req.socket.remoteAddress;
    let admitted: Admitted;
    try {
      admitted = await admit(o, req, timeoutMs);
    } catch (err) {
      if (!(err instanceof Fault)) {
        log.error({ err }, `${o.name}: console token check failed`);
        return refuse(socket, 503, 'The console tokens cannot be checked now; try again.');
      }
      const reason = err instanceof ConsoleTokenRefused ? err.reason : err.code;
      log.warn({ reason, peer }, `${o.name}: refused a console connection: ${err.message}`);
      return refuse(socket, err.status, err.message);
    }
    const { t, sock } = admitted;
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) sock.destroy();
    });
    if (socket.destroyed) return void sock.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      const session: Session = { ws, sock };
      open.add(session);
      const where = t.internal_access_path?.startsWith('/') ? t.internal_access_path : `${t.host}:${t.port}`;
      log.info(
        { instance_uuid: t.instance_uuid, console_type: t.console_type, peer },
        `${o.name}: ${t.console_type} console of instance ${t.instance_uuid} connected to ${where}`,
      );
      if (o.enforceSessionTimeout) {
        const left = t.expires * 1000 - o.tokens.clock.now().getTime();
        session.timer = setTimeout(() => ws.close(1000, 'console session expired'), Math.max(0, left));
      }
      pipe(ws, sock, () => {
        clearTimeout(session.timer);
        open.delete(session);
        log.info(
          { instance_uuid: t.instance_uuid },
          `${o.name}: console session of ${t.instance_uuid} closed`,
        );
      });
    });
  };
  server.on('upgrade', (req, socket, head) => void onUpgrade(req, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message;
      reject(
        new StartupError(
          `Cannot listen on ${o.host}:${o.port} for ${o.name}: ${why}. Stop what uses it or change the port option.`,
        ),
      );
    });
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  log.info(`${o.name} listening on ${url}`);
  return {
    url,
    port,
    sessions: () => open.size,
    async stop() {
      for (const s of open) {
        s.ws.terminate();
        s.sock.destroy();
      }
      wss.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
