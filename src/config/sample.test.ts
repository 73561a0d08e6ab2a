import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './load.ts';
import { NOVA_REGISTRY } from './options/index.ts';
import { generateSample, wrapText } from './sample.ts';
import { HOST, tempTree } from './test-support.ts';

const sample = generateSample(NOVA_REGISTRY);

test('every group and every registered option appears', () => {
  for (const g of NOVA_REGISTRY.groups) {
    assert.ok(sample.includes(`\n[${g.name}]\n`) || sample.startsWith(`[${g.name}]`), g.name);
  }
  const optionLines = new Set(
    sample
      .split('\n')
      .filter((l) => /^#\w+ =/.test(l))
      .map((l) => l.slice(1).split(' ')[0]),
  );
  for (const o of NOVA_REGISTRY.options) assert.ok(optionLines.has(o.name), `${o.group}.${o.name}`);
});

test('options show type, default, choices, limits, old names and mutability', () => {
  const block = (name: string) => {
    const end = sample.indexOf(`\n#${name} =`);
    return sample.slice(sample.lastIndexOf('\n#\n', end), sample.indexOf('\n', end + 1));
  };
  const virt = block('virt_type');
  assert.match(virt, /\(string value\)/);
  assert.match(virt, /# Allowed values: kvm, lxc, qemu, parallels/);
  assert.match(virt, /# Deprecated group\/name - \[DEFAULT\]\/libvirt_type/);
  assert.match(virt, /#virt_type = kvm$/);
  assert.match(block('osapi_compute_listen_port'), /\(port value\)[\s\S]*#osapi_compute_listen_port = 8774$/);
  assert.match(block('instances_path'), /#instances_path = \$state_path\/instances$/);
  assert.match(block('host'), /#host = <current_hostname>$/);
  assert.match(block('debug'), /can be changed without restarting[\s\S]*#debug = false$/);
  assert.match(block('enabled_apis'), /#enabled_apis = osapi_compute,metadata$/);
  assert.match(block('connection_debug'), /# Minimum value: 0\n# Maximum value: 100/);
  assert.match(block('compute_driver'), /#compute_driver = <None>$/);
});

test('help lines are wrapped at 70 columns', () => {
  for (const line of sample.split('\n')) {
    if (line.startsWith('# ') && line.includes(' ', 2) && !line.startsWith('# Deprecated')) {
      const longestWord = Math.max(
        ...line
          .slice(2)
          .split(' ')
          .map((w) => w.length),
      );
      assert.ok(line.length <= 72 || longestWord > 60, line);
    }
  }
  assert.deepEqual(wrapText('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
});

test('the sample, uncommented, loads cleanly', () => {
  const text = sample
    .split('\n')
    .filter((l) => !l.startsWith('#') || /^#\w+ = (?!<)/.test(l))
    .map((l) => (l.startsWith('#') ? l.slice(1) : l))
    .join('\n');
  const dir = tempTree({ 'nova.conf': text });
  const r = loadConfig({ env: {}, hostFacts: HOST, configFiles: [join(dir, 'nova.conf')] });
  // Setting old-style options (rabbit_*, [neutron] url) still says so; nothing is unknown or invalid.
  assert.deepEqual(
    r.warnings.filter((w) => /Unknown|not used|dropped|refers to/.test(w)),
    [],
  );
  assert.equal(r.conf.DEFAULT.instances_path, '/var/lib/nova/instances');
});
