// DifferentHostFilter: with the `different_host` hint (instance uuids), only hosts running none.
import type { HostFilter } from '../types.ts';
import { hintList, instancesOverlap } from './utils.ts';

export const DifferentHostFilter: HostFilter = Object.freeze<HostFilter>({
  name: 'DifferentHostFilter',
  runOncePerRequest: true,
  hostPasses: (host, spec) => {
    const uuids = hintList(spec, 'different_host');
    return uuids.length === 0 || !instancesOverlap(host, uuids);
  },
});
