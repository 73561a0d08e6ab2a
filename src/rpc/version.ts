// RPC API versions 'major.minor', compared as oslo.messaging does: a server endpoint at X.Y serves a
// request for X.Z when Z <= Y (same major; minors only add).
import { Invalid } from '../faults/fault.ts';

export interface RpcVersion {
  readonly major: number;
  readonly minor: number;
}

const VERSION_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(version: string): RpcVersion {
  const m = VERSION_RE.exec(version);
  if (!m)
    throw new Invalid(`RPC version '${version}' is not of the form major.minor`, 'nova.rpc.bad_version');
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** True when an endpoint at version `have` can serve a request that needs `want`. */
export function isCompatible(have: string, want: string): boolean {
  const h = parseVersion(have);
  const w = parseVersion(want);
  return h.major === w.major && h.minor >= w.minor;
}
