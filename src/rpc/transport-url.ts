// transport_url parsing shared by every driver: the scheme picks the driver; passwords never appear
// in messages or logs.
import { StartupError } from '../faults/fault.ts';

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Masks the password of every `user:pass@host` in a URL (several hosts allowed, comma-separated). */
export function redactUrl(url: string): string {
  return url.replace(/(^[a-z][a-z0-9+.-]*:\/\/|,)([^:@/,]*):([^@/,]*)@/gi, '$1$2:***@');
}

/** The scheme, lower-cased (`rabbit`, `amqp`, `memory`); StartupError for anything not `scheme://…`. */
export function schemeOf(url: string): string {
  const m = SCHEME_RE.exec(url);
  if (!m) {
    throw new StartupError(
      `Invalid transport_url '${redactUrl(url)}': expected <scheme>://…, e.g. rabbit://user:pass@host:5672/`,
    );
  }
  return m[1].toLowerCase();
}
