// nova-ts image <verb>: the image service's commands.
//   serve       the embedded image API (Glance v2 subset) on [image] listen:port, as its own process
//   build-tiny  build the tiny bootable guest (kernel + busybox initramfs) and register it
import { noauth2Validator } from '../auth/noauth.ts';
import type { TokenValidator } from '../auth/types.ts';
import type { NovaConf } from '../config/index.ts';
import { StartupError } from '../faults/fault.ts';
import { startImageApi } from '../image/app.ts';
import { UsageError } from './args.ts';
import { runDaemon } from './daemon.ts';

const USAGE = 'usage: nova-ts image {serve,build-tiny} [options]\n';

/** Token validation for a standalone image API: noauth2 only until a Keystone validator exists. */
function validatorFor(conf: NovaConf): TokenValidator {
  if (conf.api.auth_strategy === 'noauth2') return noauth2Validator();
  throw new StartupError(
    'nova-ts image serve validates tokens with [api] auth_strategy = noauth2 only; run the image API ' +
      'inside the all-in-one for Keystone tokens.',
  );
}

export async function run(argv: readonly string[]): Promise<number | undefined> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'serve':
      return runDaemon(rest, {
        prog: 'nova-ts-image',
        description: 'The embedded image API (Glance v2 subset) on [image] listen:port (9292).',
        async start(ctx) {
          return [await startImageApi({ conf: ctx.conf, log: ctx.log, validator: validatorFor(ctx.conf) })];
        },
      });
    case 'build-tiny':
      return (await import('./image-build-tiny.ts')).run(rest);
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      throw new UsageError(
        `nova-ts image: error: unknown verb '${verb}' (choose from 'serve', 'build-tiny')`,
      );
  }
}
