// Version discovery (GET / lists v2.0; GET /v2.0 lists the collections) and /v2.0/extensions:
// the aliases of what this service implements, which clients (openstacksdk, Nova) look for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NetCtx } from '../context.ts';
import { notFound } from '../faults.ts';

const EXTENSIONS: readonly (readonly [alias: string, name: string, description: string])[] = [
  ['agent', 'agent', 'The L2 agents wiring ports on compute hosts, with their heartbeats.'],
  ['allowed-address-pairs', 'Allowed Address Pairs', 'Ports accept extra IP/MAC pairs.'],
  [
    'auto-allocated-topology',
    'Auto Allocated Topology Services',
    'A network and router made per project on request.',
  ],
  ['binding', 'Port Binding', 'binding:host_id, vnic_type, vif_type, vif_details and profile on ports.'],
  ['external-net', 'Neutron external network', 'router:external on networks.'],
  ['ext-gw-mode', 'Neutron L3 Configurable external gateway mode', 'enable_snat in a router gateway.'],
  ['filter-validation', 'Filter parameters validation', 'Unknown filter keys are refused.'],
  ['net-mtu', 'Network MTU', 'mtu on networks.'],
  ['pagination', 'Pagination support', 'limit, marker and page_reverse on lists.'],
  ['port-security', 'Port Security', 'port_security_enabled on networks and ports.'],
  ['project-id', 'project_id field enabled', 'project_id beside tenant_id.'],
  ['provider', 'Provider Network', 'provider:network_type, physical_network and segmentation_id.'],
  ['quotas', 'Quota management support', 'Per-project limits.'],
  ['quota_details', 'Quota details management support', 'Limits with usage.'],
  ['router', 'Neutron L3 Router', 'Routers, interfaces, gateways and floating IPs.'],
  ['security-group', 'security-group', 'Security groups and their rules.'],
  ['sorting', 'Sorting support', 'sort_key and sort_dir on lists.'],
  ['standard-attr-description', 'standard-attr-description', 'description on resources.'],
  ['standard-attr-revisions', 'Resource revision numbers', 'revision_number on resources.'],
  ['standard-attr-timestamp', 'Resource timestamps', 'created_at and updated_at on resources.'],
  ['stateful-security-group', 'Stateful security group', 'stateful on security groups.'],
];

const extensionView = ([alias, name, description]: (typeof EXTENSIONS)[number]) => ({
  alias,
  name,
  description,
  updated: '2026-01-01T00:00:00-00:00',
  links: [],
});

const COLLECTIONS = [
  ['network', 'networks'],
  ['subnet', 'subnets'],
  ['port', 'ports'],
  ['security_group', 'security-groups'],
  ['security_group_rule', 'security-group-rules'],
  ['router', 'routers'],
  ['floatingip', 'floatingips'],
  ['quota', 'quotas'],
] as const;

export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/', '/v2.0', '/v2.0/']);

const baseOf = (req: FastifyRequest, publicEndpoint: string | undefined) =>
  (publicEndpoint ?? `${req.protocol}://${req.headers.host ?? 'localhost'}`).replace(/\/+$/, '');

export function registerDiscoveryRoutes(
  app: FastifyInstance,
  _ctx: NetCtx,
  publicEndpoint: string | undefined,
): void {
  app.get('/', async (req) => ({
    versions: [
      {
        id: 'v2.0',
        status: 'CURRENT',
        links: [{ rel: 'self', href: `${baseOf(req, publicEndpoint)}/v2.0/` }],
      },
    ],
  }));
  const resources = async (req: FastifyRequest) => ({
    resources: COLLECTIONS.map(([name, collection]) => ({
      name,
      collection,
      links: [{ rel: 'self', href: `${baseOf(req, publicEndpoint)}/v2.0/${collection}` }],
    })),
  });
  app.get('/v2.0', resources);
  app.get('/v2.0/', resources);
  app.get('/v2.0/extensions', async () => ({ extensions: EXTENSIONS.map(extensionView) }));
  app.get<{ Params: { alias: string } }>('/v2.0/extensions/:alias', async (req) => {
    const ext = EXTENSIONS.find(([alias]) => alias === req.params.alias);
    if (!ext) throw notFound('ExtensionNotFound', `Extension with alias ${req.params.alias} does not exist`);
    return { extension: extensionView(ext) };
  });
}
