// Registers the tiny guest as upstream registers AMI-style images: a kernel (aki), a ramdisk (ari)
// and a machine image (ami) whose kernel_id/ramdisk_id properties point at them.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ImageClient, ImageInfo } from '../../image-client/client.ts';
import type { TinyArtifacts } from './build.ts';

export interface RegisteredTiny {
  readonly kernel: ImageInfo;
  readonly ramdisk: ImageInfo;
  readonly image: ImageInfo;
}

export interface RegisterOptions {
  readonly name: string;
  /** Default 'public' (publicize_image: an admin's token). */
  readonly visibility?: 'public' | 'private' | 'shared' | 'community';
}

async function createAndUpload(
  client: ImageClient,
  meta: Record<string, unknown>,
  file: string,
): Promise<ImageInfo> {
  const img = await client.create(meta);
  await client.upload(img.id, createReadStream(file), (await stat(file)).size);
  return client.show(img.id);
}

export async function registerTinyImage(
  client: ImageClient,
  a: TinyArtifacts,
  opts: RegisterOptions,
): Promise<RegisteredTiny> {
  const common = {
    visibility: opts.visibility ?? 'public',
    os_distro: 'nova-ts-tiny',
    os_version: a.version,
  };
  const kernel = await createAndUpload(
    client,
    { ...common, name: `${opts.name}-kernel`, disk_format: 'aki', container_format: 'aki' },
    a.kernel,
  );
  const ramdisk = await createAndUpload(
    client,
    { ...common, name: `${opts.name}-ramdisk`, disk_format: 'ari', container_format: 'ari' },
    a.initrd,
  );
  const image = await createAndUpload(
    client,
    {
      ...common,
      name: opts.name,
      disk_format: 'ami',
      container_format: 'ami',
      kernel_id: kernel.id,
      ramdisk_id: ramdisk.id,
      os_command_line: 'console=ttyS0',
      hw_serial_port_count: '1',
    },
    a.disk,
  );
  return { kernel, ramdisk, image };
}
