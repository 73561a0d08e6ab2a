import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregate,
  ctxWith,
  hostState,
  requestSpec,
  withExtraSpecs,
  withImageProps,
} from '../host-selection-test-support.ts';
import type { HostFilter, HostState, RequestGroupInfo, RequestSpec, SchedulerContext } from '../types.ts';
import { matchesRequirement } from './extra-specs-ops.ts';
import { FILTERS, resolveFilters } from './index.ts';
import { hostMatchesQuery } from './json-filter.ts';

const ctx = ctxWith();
const passes = (f: HostFilter, h: HostState, s: RequestSpec, c: SchedulerContext = ctx) =>
  f.hostPasses(h, s, c);
const group = (over: Partial<RequestGroupInfo>): RequestGroupInfo => ({
  uuid: 'g1',
  policy: 'affinity',
  rules: {},
  hosts: [],
  members: [],
  ...over,
});

describe('extra spec operators', () => {
  const cases: [string | null, string, boolean][] = [
    ['4', '= 2', true],
    ['1', '= 2', false],
    ['2', '== 2.0', true],
    ['3', '== 2', false],
    ['3', '!= 2', true],
    ['2', '!= 2', false],
    ['5', '>= 5', true],
    ['4', '>= 5', false],
    ['5', '<= 5', true],
    ['6', '<= 5', false],
    ['abc', '= 1', false],
    ['x86_64', 's== x86_64', true],
    ['x86_64', 's== i686', false],
    ['a', 's!= b', true],
    ['a', 's< b', true],
    ['b', 's< a', false],
    ['b', 's<= b', true],
    ['b', 's> a', true],
    ['a', 's>= b', false],
    ['avx avx2 sse4', '<in> avx2', true],
    ['avx sse4', '<in> avx2', false],
    ['avx avx2 sse4', '<all-in> avx sse4', true],
    ['avx sse4', '<all-in> avx avx2', false],
    ['kvm', '<or> xen <or> kvm', true],
    ['qemu', '<or> xen <or> kvm', false],
    ['plain', 'plain', true],
    ['plain', 'other', false],
    [null, '>= 1', false],
    ['1', '>=', false],
  ];
  for (const [value, req, want] of cases)
    it(`${JSON.stringify(value)} against "${req}" is ${want}`, () => {
      assert.equal(matchesRequirement(value, req), want);
    });
});

describe('ComputeFilter', () => {
  const f = FILTERS.ComputeFilter;
  it('passes an enabled, up service', () => assert.ok(passes(f, hostState(), requestSpec())));
  it('fails a disabled service', () =>
    assert.ok(!passes(f, hostState({ service_disabled: true }), requestSpec())));
  it('fails a service that is down', () =>
    assert.ok(!passes(f, hostState({ service_up: false }), requestSpec())));
});

describe('AvailabilityZoneFilter', () => {
  const f = FILTERS.AvailabilityZoneFilter;
  it('passes any host when no zone is asked', () => assert.ok(passes(f, hostState(), requestSpec())));
  it('passes a host in the zone (one of several)', () =>
    assert.ok(
      passes(f, hostState({ availability_zone: 'az1,az2' }), requestSpec({ availability_zone: 'az2' })),
    ));
  it('fails a host in another zone', () =>
    assert.ok(
      !passes(f, hostState({ availability_zone: 'nova' }), requestSpec({ availability_zone: 'az1' })),
    ));
});

describe('ComputeCapabilitiesFilter', () => {
  const f = FILTERS.ComputeCapabilitiesFilter;
  const h = hostState({ stats: { gpu: 'yes', cores: '16' } });
  it('passes without extra specs', () => assert.ok(passes(f, h, requestSpec())));
  it('matches scoped host attributes', () => {
    assert.ok(passes(f, h, withExtraSpecs({ 'capabilities:free_ram_mb': '>= 4096' })));
    assert.ok(!passes(f, h, withExtraSpecs({ 'capabilities:free_ram_mb': '>= 4097' })));
    assert.ok(passes(f, h, withExtraSpecs({ 'capabilities:hypervisor_type': 's== QEMU' })));
  });
  it('falls back to stats and walks JSON text', () => {
    assert.ok(passes(f, h, withExtraSpecs({ 'capabilities:cores': '= 8' })));
    assert.ok(passes(f, h, withExtraSpecs({ 'capabilities:cpu_info:arch': 'x86_64' })));
    assert.ok(!passes(f, h, withExtraSpecs({ 'capabilities:cpu_info:arch': 'aarch64' })));
  });
  it('fails when a scoped capability is missing', () =>
    assert.ok(!passes(f, h, withExtraSpecs({ 'capabilities:nothing': 'x' }))));
  it('checks unscoped keys that name an attribute or stat, ignores others', () => {
    assert.ok(passes(f, h, withExtraSpecs({ gpu: 'yes', unknown_key: 'whatever' })));
    assert.ok(!passes(f, h, withExtraSpecs({ gpu: 'no' })));
    assert.ok(!passes(f, h, withExtraSpecs({ vcpus_total: '>= 16' })));
  });
  it('ignores keys of other namespaces', () =>
    assert.ok(
      passes(f, h, withExtraSpecs({ 'hw:cpu_policy': 'dedicated', 'trait:HW_CPU_X86_AVX': 'required' })),
    ));
  it('turns hw:maxphysaddr_bits into a cpu_info bits requirement', () => {
    assert.ok(passes(f, h, withExtraSpecs({ 'hw:maxphysaddr_bits': '40' })));
    assert.ok(!passes(f, h, withExtraSpecs({ 'hw:maxphysaddr_bits': '48' })));
  });
});

describe('ImagePropertiesFilter', () => {
  const f = FILTERS.ImagePropertiesFilter;
  const h = hostState({ supported_instances: [['x86_64', 'qemu', 'hvm']], hypervisor_version: 6002000 });
  it('passes an image without constraints', () => assert.ok(passes(f, h, requestSpec())));
  it('passes matching (and canonicalised) properties', () => {
    assert.ok(
      passes(f, h, withImageProps({ hw_architecture: 'x86_64', img_hv_type: 'QEMU', hw_vm_mode: 'hvm' })),
    );
    assert.ok(passes(f, h, withImageProps({ architecture: 'amd64', vm_mode: 'hv' })));
  });
  it('fails a mismatch', () => {
    assert.ok(!passes(f, h, withImageProps({ hw_architecture: 'aarch64' })));
    assert.ok(!passes(f, h, withImageProps({ hypervisor_type: 'xen' })));
  });
  it('fails when the host advertises nothing', () =>
    assert.ok(
      !passes(f, hostState({ supported_instances: [] }), withImageProps({ hw_architecture: 'x86_64' })),
    ));
  it('checks img_hv_requested_version', () => {
    assert.ok(passes(f, h, withImageProps({ hw_architecture: 'x86_64', img_hv_requested_version: '>=6.0' })));
    assert.ok(
      passes(f, h, withImageProps({ hw_architecture: 'x86_64', img_hv_requested_version: '>=6.2, <7' })),
    );
    assert.ok(
      !passes(f, h, withImageProps({ hw_architecture: 'x86_64', img_hv_requested_version: '>=6.3' })),
    );
    assert.ok(
      !passes(f, h, withImageProps({ hw_architecture: 'x86_64', img_hv_requested_version: '==6.1' })),
    );
  });
  it('is marked to run on rebuild', () => assert.equal(f.runOnRebuild, true));
});

describe('ServerGroupAffinityFilter', () => {
  const f = FILTERS.ServerGroupAffinityFilter;
  it('passes without a group or with another policy', () => {
    assert.ok(passes(f, hostState(), requestSpec()));
    assert.ok(
      passes(
        f,
        hostState(),
        requestSpec({ instance_group: group({ policy: 'anti-affinity', hosts: ['x'] }) }),
      ),
    );
  });
  it('passes anywhere for the first member', () =>
    assert.ok(passes(f, hostState(), requestSpec({ instance_group: group({}) }))));
  it('passes only the group hosts afterwards', () => {
    const s = requestSpec({ instance_group: group({ hosts: ['host2'] }) });
    assert.ok(passes(f, hostState({ host: 'host2' }), s));
    assert.ok(!passes(f, hostState({ host: 'host1' }), s));
  });
});

describe('ServerGroupAntiAffinityFilter', () => {
  const f = FILTERS.ServerGroupAntiAffinityFilter;
  const g = (rules = {}) => group({ policy: 'anti-affinity', members: ['m1', 'm2'], rules });
  it('passes a host without members', () =>
    assert.ok(passes(f, hostState({ instances: ['other'] }), requestSpec({ instance_group: g() }))));
  it('fails a host holding a member', () =>
    assert.ok(!passes(f, hostState({ instances: ['m1'] }), requestSpec({ instance_group: g() }))));
  it('honours max_server_per_host', () => {
    assert.ok(
      passes(
        f,
        hostState({ instances: ['m1'] }),
        requestSpec({ instance_group: g({ max_server_per_host: 2 }) }),
      ),
    );
    assert.ok(
      !passes(
        f,
        hostState({ instances: ['m1', 'm2'] }),
        requestSpec({ instance_group: g({ max_server_per_host: '2' }) }),
      ),
    );
  });
  it('passes the host already running the instance', () =>
    assert.ok(passes(f, hostState({ instances: ['m1', 'inst-new'] }), requestSpec({ instance_group: g() }))));
  it('ignores other policies', () =>
    assert.ok(
      passes(
        f,
        hostState({ instances: ['m1'] }),
        requestSpec({ instance_group: group({ members: ['m1'] }) }),
      ),
    ));
});

describe('SameHostFilter / DifferentHostFilter', () => {
  const h = hostState({ instances: ['a', 'b'] });
  it('same_host keeps hosts running one of the instances', () => {
    assert.ok(passes(FILTERS.SameHostFilter, h, requestSpec({ scheduler_hints: { same_host: ['x', 'b'] } })));
    assert.ok(!passes(FILTERS.SameHostFilter, h, requestSpec({ scheduler_hints: { same_host: ['x'] } })));
    assert.ok(passes(FILTERS.SameHostFilter, h, requestSpec()));
  });
  it('different_host keeps hosts running none of them', () => {
    assert.ok(
      !passes(FILTERS.DifferentHostFilter, h, requestSpec({ scheduler_hints: { different_host: ['a'] } })),
    );
    assert.ok(
      passes(
        FILTERS.DifferentHostFilter,
        h,
        requestSpec({ scheduler_hints: { different_host: ['x', 'y'] } }),
      ),
    );
    assert.ok(passes(FILTERS.DifferentHostFilter, h, requestSpec()));
  });
});

describe('AggregateInstanceExtraSpecsFilter', () => {
  const f = FILTERS.AggregateInstanceExtraSpecsFilter;
  const h = hostState({ aggregates: [aggregate({ ssd: 'true', speed: '10,20' })] });
  it('passes without extra specs', () => assert.ok(passes(f, hostState(), requestSpec())));
  it('matches scoped and unscoped keys against aggregate metadata', () => {
    assert.ok(passes(f, h, withExtraSpecs({ 'aggregate_instance_extra_specs:ssd': 'true' })));
    assert.ok(passes(f, h, withExtraSpecs({ ssd: 'true', 'hw:cpu_policy': 'dedicated' })));
    assert.ok(passes(f, h, withExtraSpecs({ 'aggregate_instance_extra_specs:speed': '>= 15' })));
  });
  it('fails on a mismatch or a key no aggregate has', () => {
    assert.ok(!passes(f, h, withExtraSpecs({ 'aggregate_instance_extra_specs:ssd': 'false' })));
    assert.ok(!passes(f, h, withExtraSpecs({ gpu: 'true' })));
    assert.ok(!passes(f, hostState(), withExtraSpecs({ ssd: 'true' })));
  });
});

describe('AggregateMultiTenancyIsolation', () => {
  const f = FILTERS.AggregateMultiTenancyIsolation;
  const h = hostState({
    aggregates: [aggregate({ filter_tenant_id: 'p1,p2' }), aggregate({ filter_tenant_id_2: 'p3' })],
  });
  it('passes listed projects', () => {
    assert.ok(passes(f, h, requestSpec({ project_id: 'p2' })));
    assert.ok(passes(f, h, requestSpec({ project_id: 'p3' })));
  });
  it('fails other projects', () => assert.ok(!passes(f, h, requestSpec({ project_id: 'p9' }))));
  it('passes anyone on unrestricted hosts', () =>
    assert.ok(
      passes(f, hostState({ aggregates: [aggregate({ ssd: 'true' })] }), requestSpec({ project_id: 'p9' })),
    ));
});

describe('AggregateImagePropertiesIsolation', () => {
  const f = FILTERS.AggregateImagePropertiesIsolation;
  const h = hostState({
    aggregates: [aggregate({ os_distro: 'ubuntu,debian', 'ns.hw_disk_bus': 'virtio' })],
  });
  it('passes matching or absent properties', () => {
    assert.ok(passes(f, h, withImageProps({ os_distro: 'debian' })));
    assert.ok(passes(f, h, withImageProps({ other: 'x' })));
  });
  it('fails a property outside the aggregate values', () =>
    assert.ok(!passes(f, h, withImageProps({ os_distro: 'fedora' }))));
  it('only looks at the configured namespace', () => {
    const c = ctxWith({ aggregate_image_properties_isolation_namespace: 'ns' });
    assert.ok(passes(f, h, withImageProps({ os_distro: 'fedora' }), c));
    assert.ok(!passes(f, h, withImageProps({ 'ns.hw_disk_bus': 'scsi' }), c));
  });
});

describe('AggregateTypeAffinityFilter', () => {
  const f = FILTERS.AggregateTypeAffinityFilter;
  it('passes hosts without instance_type metadata', () => assert.ok(passes(f, hostState(), requestSpec())));
  it('passes listed flavors only', () => {
    const h = hostState({ aggregates: [aggregate({ instance_type: 'm1.tiny, m1.small' })] });
    assert.ok(passes(f, h, requestSpec()));
    const other = requestSpec();
    assert.ok(!passes(f, h, { ...other, flavor: { ...other.flavor, name: 'm1.large' } }));
  });
});

describe('IsolatedHostsFilter', () => {
  const f = FILTERS.IsolatedHostsFilter;
  const iso = hostState({ host: 'iso' });
  const plain = hostState({ host: 'plain' });
  const isoImage = requestSpec({ image: { id: 'img-iso', min_ram: 0, min_disk: 0, properties: {} } });
  const plainImage = requestSpec();
  it('restricted: isolated images only on isolated hosts and vice versa', () => {
    const c = ctxWith({ isolated_hosts: ['iso'], isolated_images: ['img-iso'] });
    assert.ok(passes(f, iso, isoImage, c));
    assert.ok(!passes(f, iso, plainImage, c));
    assert.ok(!passes(f, plain, isoImage, c));
    assert.ok(passes(f, plain, plainImage, c));
  });
  it('unrestricted: isolated hosts take other images too', () => {
    const c = ctxWith({
      isolated_hosts: ['iso'],
      isolated_images: ['img-iso'],
      restrict_isolated_hosts_to_isolated_images: false,
    });
    assert.ok(passes(f, iso, plainImage, c));
    assert.ok(!passes(f, plain, isoImage, c));
  });
  it('without isolated images, isolated hosts are closed only when restricted', () => {
    assert.ok(!passes(f, iso, plainImage, ctxWith({ isolated_hosts: ['iso'] })));
    assert.ok(
      passes(
        f,
        iso,
        plainImage,
        ctxWith({ isolated_hosts: ['iso'], restrict_isolated_hosts_to_isolated_images: false }),
      ),
    );
  });
});

describe('NumInstancesFilter / IoOpsFilter and their aggregate variants', () => {
  const c = ctxWith({ max_instances_per_host: 5, max_io_ops_per_host: 3 });
  it('compare against the options', () => {
    assert.ok(passes(FILTERS.NumInstancesFilter, hostState({ num_instances: 4 }), requestSpec(), c));
    assert.ok(!passes(FILTERS.NumInstancesFilter, hostState({ num_instances: 5 }), requestSpec(), c));
    assert.ok(passes(FILTERS.IoOpsFilter, hostState({ num_io_ops: 2 }), requestSpec(), c));
    assert.ok(!passes(FILTERS.IoOpsFilter, hostState({ num_io_ops: 3 }), requestSpec(), c));
  });
  it('aggregates override the limit, smallest value winning', () => {
    const aggs = [
      aggregate({ max_instances_per_host: '3', max_io_ops_per_host: '10' }),
      aggregate({ max_instances_per_host: '2' }),
    ];
    assert.ok(
      !passes(
        FILTERS.AggregateNumInstancesFilter,
        hostState({ num_instances: 2, aggregates: aggs }),
        requestSpec(),
        c,
      ),
    );
    assert.ok(
      passes(
        FILTERS.AggregateNumInstancesFilter,
        hostState({ num_instances: 1, aggregates: aggs }),
        requestSpec(),
        c,
      ),
    );
    assert.ok(
      passes(FILTERS.AggregateIoOpsFilter, hostState({ num_io_ops: 9, aggregates: aggs }), requestSpec(), c),
    );
    assert.ok(
      passes(FILTERS.NumInstancesFilter, hostState({ num_instances: 2, aggregates: aggs }), requestSpec(), c),
    );
  });
  it('a bad aggregate value falls back to the option', () => {
    const aggs = [aggregate({ max_io_ops_per_host: 'lots' })];
    assert.ok(
      !passes(FILTERS.AggregateIoOpsFilter, hostState({ num_io_ops: 3, aggregates: aggs }), requestSpec(), c),
    );
  });
});

describe('JsonFilter', () => {
  const h = hostState({
    host: 'h1',
    free_ram_mb: 2048,
    free_disk_mb: 10240,
    vcpus_total: 8,
    vcpus_used: 6,
    stats: { x: '1' },
  });
  const q = (query: unknown) => hostMatchesQuery(h, JSON.stringify(query));
  it('compares with = < > <= >=', () => {
    assert.ok(q(['=', '$free_ram_mb', 2048]));
    assert.ok(!q(['=', '$free_ram_mb', 1024]));
    assert.ok(q(['<', '$vcpus_used', 7, 8]));
    assert.ok(!q(['<', '$vcpus_used', 6]));
    assert.ok(q(['>', '$free_disk_mb', 100]));
    assert.ok(q(['<=', '$vcpus_total', 8]));
    assert.ok(q(['>=', '$free_ram_mb', 2048]));
    assert.ok(!q(['>=', '$free_ram_mb', 4096]));
  });
  it('supports in, not, or, and', () => {
    assert.ok(q(['in', '$host', 'h0', 'h1']));
    assert.ok(!q(['in', '$host', 'h2']));
    assert.ok(q(['not', ['=', '$host', 'h2']]));
    assert.ok(!q(['not', ['=', '$host', 'h1']]));
    assert.ok(q(['or', ['=', '$host', 'h2'], ['>=', '$free_ram_mb', 1024]]));
    assert.ok(!q(['and', ['=', '$host', 'h1'], ['>=', '$free_ram_mb', 4096]]));
    assert.ok(q(['and', ['=', '$host', 'h1'], ['=', '$stats.x', '1']]));
  });
  it('drops unknown variables (a comparison left alone fails)', () => assert.ok(!q(['=', '$nothing', 1])));
  it('lets no host pass on a malformed query', () => {
    assert.ok(!hostMatchesQuery(h, '[">=", "$free_ram_mb"'));
    assert.ok(!q(['like', '$host', 'h1']));
  });
  it('reads the query hint', () => {
    const f = FILTERS.JsonFilter;
    assert.ok(passes(f, h, requestSpec()));
    assert.ok(passes(f, h, requestSpec({ scheduler_hints: { query: ['[">=", "$free_ram_mb", 1024]'] } })));
    assert.ok(!passes(f, h, requestSpec({ scheduler_hints: { query: ['[">=", "$free_ram_mb", 4096]'] } })));
  });
});

describe('AllHostsFilter', () => {
  it('passes everything', () =>
    assert.ok(passes(FILTERS.AllHostsFilter, hostState({ service_up: false }), requestSpec())));
});

describe('filter registry', () => {
  it('resolves plain and dotted names in order', () => {
    const fs = resolveFilters([
      'ComputeFilter',
      'nova.scheduler.filters.affinity_filter.SameHostFilter',
      ' ',
    ]);
    assert.deepEqual(
      fs.map((f) => f.name),
      ['ComputeFilter', 'SameHostFilter'],
    );
  });
  it('resolves the default enabled_filters', () => {
    assert.equal(resolveFilters(ctx.conf.filter_scheduler.enabled_filters).length, 5);
  });
  it('names an unknown filter', () => {
    assert.throws(
      () => resolveFilters(['ComputeFilter', 'RamFilter']),
      /Unknown scheduler filter "RamFilter"/,
    );
    assert.throws(() => resolveFilters(['nova.x.toString']), /Unknown scheduler filter/);
  });
  it('is frozen and keyed by each filter name', () => {
    assert.ok(Object.isFrozen(FILTERS));
    for (const [k, f] of Object.entries(FILTERS)) assert.equal(k, f.name);
  });
});
