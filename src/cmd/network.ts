// nova-ts network serve: the embedded network service (Neutron v2.0 subset) as its own process, on
// [network_service] listen:port with its database in [network_database] connection; tokens are
// checked as the placement daemon checks them ([keystone_authtoken], or noauth2).
import { startNetworkApi } from '../network/app.ts';
import { NETWORK_POLICY_DEFAULTS } from '../network/policy.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import { validatorFromConf } from './api-security.ts';
import { UsageError } from './args.ts';
import { runDaemon } from './daemon.ts';

const USAGE = 'usage: nova-ts network serve [options]\n';

export async function run(argv: readonly string[]): Promise<number | undefined> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'serve':
      return runDaemon(rest, {
        prog: 'nova-ts-network',
        description: 'The network API (Neutron v2.0 subset) on [network_service] listen:port (9696).',
        async start(ctx) {
          return [
            await startNetworkApi({
              conf: ctx.conf,
              log: ctx.log,
              validator: validatorFromConf(ctx.conf, ctx.log),
              enforcer: enforcerFromConf(ctx.conf, NETWORK_POLICY_DEFAULTS, ctx.configFiles, ctx.log),
            }),
          ];
        },
      });
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      throw new UsageError(`nova-ts network: error: unknown verb '${verb}' (choose from 'serve')`);
  }
}
