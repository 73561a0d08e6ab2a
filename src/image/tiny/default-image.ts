// The all-in-one's default image: the tiny guest when the host can build it (kernel + static
// busybox present), else a small placeholder disk; registered once (looked up by name first).
import { Readable } from 'node:stream';
import type { Logger } from '../../common/log.ts';
import { StartupError } from '../../faults/fault.ts';
import type { ImageClient, ImageInfo } from '../../image-client/client.ts';
import { buildTinyImage } from './build.ts';
import { registerTinyImage } from './register.ts';

export interface DefaultImageOptions {
  readonly client: ImageClient;
  readonly outputDir: string;
  readonly version: string;
  readonly log: Logger;
  readonly name?: string;
  /** A vmlinuz instead of the host's (tests). */
  readonly kernel?: string;
}

export interface DefaultImage {
  readonly kind: 'existing' | 'tiny' | 'placeholder';
  readonly image: ImageInfo;
  /** Why the tiny guest was not built (for the placeholder). */
  readonly reason?: string;
}

const PLACEHOLDER_SIZE = 1024 * 1024;

export async function ensureDefaultImage(o: DefaultImageOptions): Promise<DefaultImage> {
  const name = o.name ?? 'nova-ts-tiny';
  const existing = (await o.client.list({ name })).find((i) => i.status === 'active');
  if (existing) return { kind: 'existing', image: existing };
  try {
    const artifacts = await buildTinyImage({ outputDir: o.outputDir, version: o.version, kernel: o.kernel });
    const reg = await registerTinyImage(o.client, artifacts, { name });
    o.log.info({ image: reg.image.id }, `registered the tiny guest image ${name} (boots under QEMU)`);
    return { kind: 'tiny', image: reg.image };
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    const img = await o.client.create({
      name,
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
      os_distro: 'nova-ts-placeholder',
    });
    await o.client.upload(img.id, Readable.from([Buffer.alloc(PLACEHOLDER_SIZE)]), PLACEHOLDER_SIZE);
    o.log.warn(`registered a placeholder image ${name} (does not boot): ${err.message}`);
    return { kind: 'placeholder', image: await o.client.show(img.id), reason: err.message };
  }
}
