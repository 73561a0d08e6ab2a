// Stable, name-based uuids for hypervisor nodes (version 5 layout over SHA-1): the same node name
// gives the same resource provider uuid in every run, so a restarted compute finds its provider.
import { createHash } from 'node:crypto';

export function nameBasedUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(`${namespace}:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
