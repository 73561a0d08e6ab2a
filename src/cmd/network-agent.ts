// nova-ts network agent: a compute host's data plane (Neutron's Linux-bridge, DHCP and metadata
// agents, and with --l3 the L3 agent) for the guests of this host's nova-compute ([DEFAULT]
// host). It reads the network service through [neutron] as nova-compute does and reports its
// heartbeat and wired devices over [DEFAULT] transport_url to `nova-ts network serve`.
import { join } from 'node:path';
import { computeNetworkFromConf } from '../compute/network-source.ts';
import { DataplaneAgent } from '../dataplane/agent.ts';
import { routerPlugin, securityGroupPlugin, sgTableFor } from '../dataplane/plugins.ts';
import { StartupError } from '../faults/fault.ts';
import { rpcAgentServer } from '../network/agent-rpc.ts';
import { type DaemonContext, openTransport } from './daemon.ts';

export async function runAgent(ctx: DaemonContext) {
  const { conf, log } = ctx;
  if (process.getuid?.() !== 0)
    throw new StartupError('The network agent makes bridges, namespaces and firewall rules: run it as root.');
  const network = computeNetworkFromConf(conf, log);
  if (!network)
    throw new StartupError(
      'The network agent reads the network service through [neutron]: set its credentials (or auth_type = noauth with endpoint_override).',
    );
  const transport = await openTransport(ctx);
  const stateDir = join(conf.DEFAULT.state_path, 'dataplane');
  const secret = conf.neutron.metadata_proxy_shared_secret;
  const ns = conf.network_service;
  const agent = new DataplaneAgent({
    hosts: [conf.DEFAULT.host],
    network,
    stateDir,
    ...(conf.neutron.service_metadata_proxy && secret
      ? { metadata: { url: `http://${ns.nova_metadata_host}:${ns.nova_metadata_port}`, secret } }
      : {}),
    log,
    server: rpcAgentServer(transport, log),
    plugins: [securityGroupPlugin(sgTableFor(stateDir)), ...(ctx.args.l3 ? [routerPlugin()] : [])],
  });
  agent.start();
  log.info({ host: conf.DEFAULT.host, l3: Boolean(ctx.args.l3) }, 'network agent started');
  return [{ stop: () => agent.stop() }];
}
