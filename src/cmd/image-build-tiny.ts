// nova-ts image build-tiny: build the tiny bootable guest from host packages (Debian
// linux-image-cloud-amd64 and busybox-static) and register it in the image service as an
// AMI-style kernel + ramdisk + machine image.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../faults/fault.ts';
import { buildTinyImage } from '../image/tiny/build.ts';
import { registerTinyImage } from '../image/tiny/register.ts';
import { ImageClient } from '../image-client/client.ts';
import { imageEndpoints } from '../image-client/endpoint.ts';
import { parseArgs, str } from './args.ts';
import { loadCommandConfig } from './conf.ts';

const SPEC = {
  usage: 'nova-ts image build-tiny',
  description:
    'Build a tiny guest (host kernel + busybox initramfs that prints a banner on the serial console, ' +
    'takes DHCP, reads the config drive or metadata service, prints its uptime and powers off on ' +
    'ACPI shutdown) and register it as kernel (aki) + ramdisk (ari) + machine image (ami).',
  flags: [
    { name: '--config-file', metavar: 'PATH', help: 'nova.conf to read ([glance], [image], state_path).' },
    { name: '--kernel', metavar: 'PATH', help: 'vmlinuz to use (default: /boot/vmlinuz-*-cloud-amd64).' },
    { name: '--busybox', metavar: 'PATH', help: 'static busybox (default: /bin/busybox of busybox-static).' },
    {
      name: '--output-dir',
      metavar: 'DIR',
      help: 'Where to write the files (default: $state_path/tiny-image).',
    },
    { name: '--name', metavar: 'NAME', help: 'Image name (default: nova-ts-tiny).' },
    { name: '--register', boolean: true, help: 'Register the image (the default).' },
    { name: '--no-register', boolean: true, help: 'Only build the files.' },
    {
      name: '--image-url',
      metavar: 'URL',
      help: 'Image API (default: [glance] api_servers, else [image] port).',
    },
    { name: '--os-token', metavar: 'TOKEN', help: 'Token to register with (default: $OS_TOKEN).' },
    { name: '--visibility', metavar: 'V', help: 'Visibility of the registered images (default: public).' },
  ],
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function defaultImageUrl(conf: ReturnType<typeof loadCommandConfig>['conf']): string {
  if (conf.glance.api_servers?.length) return imageEndpoints(conf)[0];
  const host =
    conf.image.listen === '0.0.0.0' || conf.image.listen === '::' ? '127.0.0.1' : conf.image.listen;
  return conf.image.public_endpoint ?? `http://${host}:${conf.image.port}`;
}

export async function run(argv: readonly string[]): Promise<number> {
  const cfg = loadCommandConfig(argv, { prog: 'nova-ts' });
  const args = parseArgs(SPEC, cfg.rest);
  if (args === null) return 0;
  const conf = cfg.conf;
  const artifacts = await buildTinyImage({
    outputDir: str(args.output_dir) ?? join(conf.DEFAULT.state_path, 'tiny-image'),
    kernel: str(args.kernel),
    busybox: str(args.busybox),
    version: packageVersion(),
  });
  process.stdout.write(
    `built ${artifacts.kernel}, ${artifacts.initrd} (${artifacts.modules.length} kernel modules), ${artifacts.disk}\n`,
  );
  if (args.no_register) return 0;
  const token = str(args.os_token) ?? process.env.OS_TOKEN;
  if (!token)
    throw new StartupError('Registering needs a token: pass --os-token or set OS_TOKEN (or --no-register).');
  const client = new ImageClient({ endpoints: [str(args.image_url) ?? defaultImageUrl(conf)], token });
  const visibility = (str(args.visibility) ?? 'public') as 'public';
  const reg = await registerTinyImage(client, artifacts, {
    name: str(args.name) ?? 'nova-ts-tiny',
    visibility,
  });
  process.stdout.write(
    `registered ${reg.image.name} ${reg.image.id} (kernel_id ${reg.kernel.id}, ramdisk_id ${reg.ramdisk.id})\n`,
  );
  return 0;
}
