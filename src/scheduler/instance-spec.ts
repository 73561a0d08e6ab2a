// The request spec an existing instance implies when none was stored (an instance whose spec was
// lost, or a build resumed by its compute): its flavor, image, zone and owner, nothing forced.

import type { EmbeddedFlavor } from '../objects/instance-extra.ts';
import type { ImageMeta, RequestSpec } from './types.ts';

export interface SpecSource {
  readonly uuid: string;
  readonly project_id: string;
  readonly user_id: string;
  readonly flavor: EmbeddedFlavor;
  readonly availability_zone: string | null;
}

export function specOfInstance(inst: SpecSource, image?: ImageMeta): RequestSpec {
  return {
    instance_uuid: inst.uuid,
    project_id: inst.project_id,
    user_id: inst.user_id,
    num_instances: 1,
    flavor: inst.flavor,
    image: image ?? { min_ram: 0, min_disk: 0, properties: {} },
    availability_zone: inst.availability_zone,
    scheduler_hints: {},
    ignore_hosts: [],
    force_hosts: [],
    force_nodes: [],
    requested_destination: null,
    instance_group: null,
    retry: null,
    is_bfv: false,
  };
}
