// Checks and names targets. Topics and servers become routing keys and queue names, so they are
// non-empty and free of spaces; `topic.server` is the routing key of a server-specific target.
import { Invalid } from '../faults/fault.ts';
import type { ListenTarget, Target } from './types.ts';
import { parseVersion } from './version.ts';

const NAME_RE = /^[^\s#*]+$/;

function checkName(value: unknown, what: string): void {
  if (typeof value !== 'string' || !NAME_RE.test(value)) {
    throw new Invalid(
      `RPC ${what} must be a non-empty string without spaces, '#' or '*'; got ${JSON.stringify(value)}`,
    );
  }
}

export function checkListenTarget(target: ListenTarget): void {
  checkName(target.topic, 'topic');
  if (target.server !== undefined) checkName(target.server, 'server');
}

export function checkTarget(target: Target, kind: 'call' | 'cast'): void {
  checkListenTarget(target);
  if (target.version !== undefined) parseVersion(target.version);
  if (target.fanout && kind === 'call')
    throw new Invalid('RPC call cannot use a fanout target; cast instead');
  if (target.fanout && target.server !== undefined)
    throw new Invalid('RPC fanout target cannot name a server');
}

/** The routing key: `topic` or `topic.server`. */
export function routingKey(target: ListenTarget): string {
  return target.server === undefined ? target.topic : `${target.topic}.${target.server}`;
}

/** For messages: `compute.host1`, `scheduler`, `compute (fanout)`. */
export function describeTarget(target: Target): string {
  return target.fanout ? `${target.topic} (fanout)` : routingKey(target);
}
