// rabbit://user:pass@host:port[,user:pass@host2:port2]/vhost (also amqp://). As oslo.messaging reads
// it: no credentials = guest:guest, no port = 5672, empty or '/' path = vhost '/', several hosts are
// tried in turn. User, password and vhost are percent-decoded.
import { StartupError } from '../../faults/fault.ts';
import { redactUrl } from '../transport-url.ts';

export interface RabbitHost {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

export interface RabbitUrl {
  readonly hosts: readonly RabbitHost[];
  readonly vhost: string;
  /** The URL as given, passwords masked: for messages and logs. */
  readonly redacted: string;
}

const URL_RE = /^(?:rabbit|amqp):\/\/([^/?#]*)(\/[^?#]*)?(?:\?[^#]*)?$/i;
const USAGE = 'expected rabbit://user:pass@host:port[,user:pass@host2:port2]/vhost';

function bad(url: string, why: string): StartupError {
  return new StartupError(`Invalid transport_url '${redactUrl(url)}': ${why}; ${USAGE}`);
}

function decode(url: string, s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw bad(url, `bad percent-encoding in '${s.includes(':') ? '***' : s}'`);
  }
}

function splitHostPort(url: string, hostport: string): [string, string | undefined] {
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) throw bad(url, `unterminated IPv6 address '${hostport}'`);
    const rest = hostport.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) throw bad(url, `bad host '${hostport}'`);
    return [hostport.slice(1, end), rest === '' ? undefined : rest.slice(1)];
  }
  const colon = hostport.lastIndexOf(':');
  return colon < 0 ? [hostport, undefined] : [hostport.slice(0, colon), hostport.slice(colon + 1)];
}

function parseHost(url: string, segment: string): RabbitHost {
  const at = segment.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : segment.slice(0, at);
  const [hostname, portText] = splitHostPort(url, segment.slice(at + 1));
  const port = portText === undefined || portText === '' ? 5672 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(url, `bad port '${portText}'`);
  if (userinfo === undefined)
    return { hostname: hostname || 'localhost', port, username: 'guest', password: 'guest' };
  const colon = userinfo.indexOf(':');
  const username = decode(url, colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decode(url, userinfo.slice(colon + 1));
  return { hostname: hostname || 'localhost', port, username, password };
}

export function parseRabbitUrl(url: string): RabbitUrl {
  const m = URL_RE.exec(url);
  if (!m) throw bad(url, 'not a rabbit:// or amqp:// URL');
  const segments = m[1] === '' ? [''] : m[1].split(',');
  if (segments.length > 1 && segments.some((s) => s === '')) throw bad(url, 'empty host in the host list');
  const hosts = segments.map((s) => parseHost(url, s));
  const path = m[2] ?? '';
  const vhost = path === '' || path === '/' ? '/' : decode(url, path.slice(1));
  return Object.freeze({ hosts: Object.freeze(hosts), vhost, redacted: redactUrl(url) });
}
