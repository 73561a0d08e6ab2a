// The deprecated images proxy's view (upstream views/images.py): Glance v2 images in Nova's v1-era
// shape (status ACTIVE/SAVING…, progress, minRam/minDisk, metadata, size, server of a snapshot).
import type { ImageInfo } from '../../../image-client/client.ts';
import type { Links } from '../routing/links.ts';
import { boolFromString } from '../validation/params.ts';
import { isoSeconds } from './time.ts';

const STATUS: Readonly<Record<string, string>> = Object.freeze({
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
});
const PROGRESS: Readonly<Record<string, number>> = Object.freeze({ queued: 25, saving: 50, active: 100 });

function imageLinks(image: ImageInfo, links: Links, glanceRoot: string) {
  return [
    ...links.item('images', image.id),
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${glanceRoot}/images/${image.id}` },
  ];
}

export function imageBrief(image: ImageInfo, links: Links, glanceRoot: string) {
  return { id: image.id, name: image.name, links: imageLinks(image, links, glanceRoot) };
}

export function imageDetail(image: ImageInfo, links: Links, glanceRoot: string) {
  const metadata = { ...image.properties };
  const server = metadata.instance_uuid;
  const disk = metadata.auto_disk_config;
  return {
    id: image.id,
    name: image.name,
    minRam: image.min_ram,
    minDisk: image.min_disk,
    metadata,
    created: isoSeconds(new Date(image.created_at)),
    updated: isoSeconds(new Date(image.updated_at)),
    status: STATUS[image.status] ?? 'UNKNOWN',
    progress: PROGRESS[image.status] ?? 0,
    'OS-EXT-IMG-SIZE:size': image.size,
    links: imageLinks(image, links, glanceRoot),
    ...(server !== undefined && { server: { id: server, links: links.item('servers', server) } }),
    ...(disk !== undefined && { 'OS-DCF:diskConfig': boolFromString(disk) ? 'AUTO' : 'MANUAL' }),
  };
}
