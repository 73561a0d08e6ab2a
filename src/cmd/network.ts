// nova-ts network serve: the embedded network service (Neutron v2.0 subset) as its own process, on
// [network_service] listen:port with its database in [network_database] connection; tokens are
// checked as the placement daemon checks them ([keystone_authtoken], or noauth2). It tells Nova
// about port changes through [nova] and hears agents over [DEFAULT] transport_url.
// nova-ts network agent: a compute host's data plane (network-agent.ts).
import { systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { NovaConf } from '../config/index.ts';
import { listenForAgents } from '../network/agent-rpc.ts';
import { AgentRegistry } from '../network/agents.ts';
import { startNetworkApi } from '../network/app.ts';
import { httpNovaNotifier, type NovaNotifier } from '../network/nova-notifier.ts';
import { NETWORK_POLICY_DEFAULTS } from '../network/policy.ts';
import { enforcerFromConf } from '../policy/from-conf.ts';
import { catalogEndpoint, fromConfGroup } from '../service-auth/token-source.ts';
import { validatorFromConf } from './api-security.ts';
import { UsageError } from './args.ts';
import { type DaemonContext, openTransport, runDaemon } from './daemon.ts';
import { runAgent } from './network-agent.ts';

const USAGE = 'usage: nova-ts network {serve,agent} [options]\n';

/** How `network serve` tells Nova about port changes: [nova] credentials, else nobody. */
function novaNotifierFromConf(conf: NovaConf, log: Logger): NovaNotifier | undefined {
  let tokens: ReturnType<typeof fromConfGroup>;
  try {
    tokens = fromConfGroup(conf, 'nova');
  } catch (err) {
    log.warn(
      { err },
      'no credentials in [nova]: Nova is not told about port changes (network-vif-plugged …)',
    );
    return undefined;
  }
  const n = conf.nova;
  let url: string | undefined = n.endpoint_override ?? undefined;
  return httpNovaNotifier({
    url: async () => {
      url ??= await catalogEndpoint(tokens, n);
      return url?.replace(/\/v2(\.1)?\/?$/, '');
    },
    token: () => tokens.token(),
    log,
  });
}

async function serve(ctx: DaemonContext) {
  const { conf, log } = ctx;
  const agents = new AgentRegistry(systemClock, conf.network_service.agent_down_time);
  const nova = novaNotifierFromConf(conf, log);
  const api = await startNetworkApi({
    conf,
    log,
    validator: validatorFromConf(conf, log),
    enforcer: enforcerFromConf(conf, NETWORK_POLICY_DEFAULTS, ctx.configFiles, log),
    agents,
    ...(nova ? { nova } : {}),
  });
  // Agents on other hosts report over the message bus (Neutron's plugin topics).
  if (conf.DEFAULT.transport_url) {
    const transport = await openTransport(ctx);
    await listenForAgents(transport, agents, log);
    log.info('listening for L2 agents on q-plugin / q-reports-plugin');
  } else log.info('no [DEFAULT] transport_url: no agents on other hosts can report');
  return [api];
}

export async function run(argv: readonly string[]): Promise<number | undefined> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'serve':
      return runDaemon(rest, {
        prog: 'nova-ts-network',
        description: 'The network API (Neutron v2.0 subset) on [network_service] listen:port (9696).',
        start: serve,
      });
    case 'agent':
      return runDaemon(rest, {
        prog: 'nova-ts-network-agent',
        description:
          "The data plane agent of this host ([DEFAULT] host): bridges, DHCP, metadata and security groups for the guests of this host's nova-compute (as root), reporting over [DEFAULT] transport_url.",
        flags: [
          {
            name: '--l3',
            boolean: true,
            help: 'Also serve routers and floating IPs (this host is the network node).',
          },
        ],
        start: runAgent,
      });
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      throw new UsageError(`nova-ts network: error: unknown verb '${verb}' (choose from 'serve', 'agent')`);
  }
}
