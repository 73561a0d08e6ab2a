// The agents' side of the network service over the message bus, for agents in other processes
// (a compute host's `nova-ts network agent`): Neutron's plugin topics and method names —
// report_state on `q-reports-plugin` (a cast, the heartbeat), update_device_list on `q-plugin` (a
// call: these devices are up, those are gone, on this host). The network service listens when it
// has a transport_url; an agent uses rpcAgentServer() where the all-in-one hands it the registry.
import type { Logger } from '../common/log.ts';
import { adminContext, type Listener, type RpcEndpoint, type Transport } from '../rpc/index.ts';
import type { AgentRegistry, AgentServer } from './agents.ts';

export const PLUGIN_TOPIC = 'q-plugin';
export const REPORTS_TOPIC = 'q-reports-plugin';
const VERSION = '1.0';

interface ReportStateArgs {
  readonly agent_state: {
    readonly agent_state: { readonly host: string; readonly configurations?: Record<string, unknown> };
  };
}

interface DeviceListArgs {
  readonly host: string;
  readonly devices_up?: readonly string[];
  readonly devices_down?: readonly string[];
}

/** Listens on the plugin topics for agents' reports; returns the listeners to stop. */
export async function listenForAgents(
  transport: Transport,
  registry: AgentRegistry,
  log: Logger,
): Promise<Listener[]> {
  const reports: RpcEndpoint = {
    version: VERSION,
    methods: {
      report_state(_ctx, args: ReportStateArgs) {
        const s = args.agent_state?.agent_state;
        if (s?.host) registry.reportState([s.host], s.configurations ?? {});
      },
    },
  };
  const plugin: RpcEndpoint = {
    version: VERSION,
    methods: {
      async update_device_list(_ctx, args: DeviceListArgs) {
        // Devices are port ids (Neutron's agents may send tap names; ours send the ids).
        const up = [...(args.devices_up ?? [])];
        const down = [...(args.devices_down ?? [])];
        if (up.length > 0) await registry.devicesUp(args.host, up);
        if (down.length > 0) await registry.devicesDown(args.host, down);
        log.debug({ host: args.host, up, down }, 'agent device report');
        return { devices_up: up, devices_down: down, failed_devices_up: [], failed_devices_down: [] };
      },
    },
  };
  return [
    await transport.listen({ topic: REPORTS_TOPIC }, [reports]),
    await transport.listen({ topic: PLUGIN_TOPIC }, [plugin]),
  ];
}

/** An agent's AgentServer that reaches the network service over the message bus. */
export function rpcAgentServer(transport: Transport, log: Logger): AgentServer {
  const ctx = adminContext();
  return {
    reportState(hosts, configurations = {}) {
      for (const host of hosts)
        void transport
          .cast(ctx, { topic: REPORTS_TOPIC, version: VERSION }, 'report_state', {
            agent_state: { agent_state: { host, configurations, agent_type: 'Linux bridge agent' } },
            time: new Date().toISOString(),
          })
          .catch((err: unknown) => log.warn({ err }, 'could not report the agent state'));
    },
    async devicesUp(host, portIds) {
      await transport.call(ctx, { topic: PLUGIN_TOPIC, version: VERSION }, 'update_device_list', {
        host,
        devices_up: [...portIds],
        devices_down: [],
      });
    },
    async devicesDown(host, portIds) {
      await transport.call(ctx, { topic: PLUGIN_TOPIC, version: VERSION }, 'update_device_list', {
        host,
        devices_up: [],
        devices_down: [...portIds],
      });
    },
  };
}
