// Test helpers for the fake virt driver's tests: driver instances, flavors and move targets.
import type { EmbeddedFlavor } from '../../objects/instance-extra.ts';
import type { DriverInstance, MoveTarget } from '../driver.ts';
import type { FakeDriver } from './driver.ts';

export const flavor = (over: Partial<EmbeddedFlavor> = {}): EmbeddedFlavor => ({
  name: 'm1.small',
  flavorid: '2',
  memory_mb: 2048,
  vcpus: 1,
  root_gb: 20,
  ephemeral_gb: 0,
  swap: 0,
  ...over,
});

let seq = 0;
export const inst = (over: Partial<DriverInstance> = {}): DriverInstance => {
  seq += 1;
  return {
    uuid: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    name: `instance-${seq.toString(16).padStart(8, '0')}`,
    hostname: `vm-${seq}`,
    display_name: `vm ${seq}`,
    project_id: 'p1',
    user_id: 'u1',
    flavor: flavor(),
    image_ref: 'img-1',
    image: { min_ram: 0, min_disk: 0, properties: {} },
    key_data: null,
    user_data: null,
    metadata: {},
    config_drive: false,
    availability_zone: null,
    network_info: [{ id: 'port-1', address: 'fa:16:3e:00:00:01' }],
    ...over,
  };
};

export const stateOf = async (d: FakeDriver, i: DriverInstance) => (await d.getInfo(i)).state;

export async function spawned(d: FakeDriver, i = inst()): Promise<DriverInstance> {
  await d.spawn(i, {});
  return i;
}

export const move = (over: Partial<MoveTarget> = {}): MoveTarget => ({
  sourceHost: 'a',
  destHost: 'b',
  destNode: 'b',
  newFlavor: flavor({ name: 'm1.large', flavorid: '4', memory_mb: 8192, vcpus: 4, root_gb: 80 }),
  sameHost: false,
  ...over,
});
