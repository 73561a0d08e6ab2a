// SameHostFilter: with the `same_host` hint (instance uuids), only hosts running one of them.
import type { HostFilter } from '../types.ts';
import { hintList, instancesOverlap } from './utils.ts';

export const SameHostFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'SameHostFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const uuids = hintList(spec, 'same_host');
    return uuids.length === 0 || instancesOverlap(host, uuids);
  },
});
