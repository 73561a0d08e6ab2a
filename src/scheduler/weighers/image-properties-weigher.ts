// ImagePropertiesWeigher: prefers hosts whose instances share the requested image's properties —
// the raw weight counts, over the instances on the host, the (property, value) pairs they have in
// common with the image. It reads HostState.instance_image_properties; a host without that data
// weighs 0. With the multiplier at 0 (the default) nothing is computed. (Upstream's per-property
// image_props_weight_setting is not supported: every property counts 1.)
import type { HostWeigher } from '../types.ts';
import { weightMultiplier } from './multiplier.ts';

export const ImagePropertiesWeigher: HostWeigher = Object.freeze<HostWeigher>({
  name: 'ImagePropertiesWeigher',
  multiplier: (host, ctx) =>
    weightMultiplier(
      host,
      'image_props_weight_multiplier',
      ctx.conf.filter_scheduler.image_props_weight_multiplier,
    ),
  weigh: (host, spec, ctx) => {
    if (ctx.conf.filter_scheduler.image_props_weight_multiplier === 0) return 0;
    const wanted = Object.entries(spec.image.properties);
    let weight = 0;
    for (const props of host.instance_image_properties ?? [])
      for (const [key, value] of wanted)
        if (Object.hasOwn(props, key) && String(props[key]) === String(value)) weight++;
    return weight;
  },
});
