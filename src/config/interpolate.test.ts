// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are oslo ${option} references, not templates
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { defineGroup } from './group.ts';
import { interpolate, valueAsText } from './interpolate.ts';
import { type ConfigSchema, loadConfigWith } from './load.ts';
import { boolOpt, intOpt, listOpt, pathOpt, portOpt, strOpt } from './opt.ts';
import { buildRegistry } from './registry.ts';
import { HOST, tempTree } from './test-support.ts';

test('interpolate: $name, ${name}, $group.name, $$ and \\$', () => {
  const vals: Record<string, string> = { a: 'A', 'g.b': 'B' };
  const unknown: string[] = [];
  const run = (t: string) =>
    interpolate(
      t,
      (r) => vals[r],
      (r) => unknown.push(r),
    );
  assert.equal(run('$a/x'), 'A/x');
  assert.equal(run('${a}x'), 'Ax');
  assert.equal(run('$g.b-${g.b}'), 'B-B');
  assert.equal(run('cost $$5 and \\$6'), 'cost $5 and $6');
  assert.equal(run('$ 1 $9'), '$ 1 $9');
  assert.equal(run('$nope'), '$nope');
  assert.deepEqual(unknown, ['nope']);
});

test('valueAsText reads values the way oslo prints them', () => {
  assert.equal(valueAsText(undefined), '');
  assert.equal(valueAsText(true), 'True');
  assert.equal(valueAsText(8774), '8774');
  assert.equal(valueAsText(['a', 'b']), 'a,b');
});

const schema: ConfigSchema<unknown> = {
  registry: buildRegistry([
    defineGroup('DEFAULT', 'D', 'd', {
      state_path: pathOpt({ help: 's', default: '/var/lib/nova' }),
      instances_path: pathOpt({ help: 'i', default: '$state_path/instances' }),
      my_ip: strOpt({ help: 'm', computedDefault: (c) => c.myIp }),
      a: strOpt({ help: 'a' }),
      b: strOpt({ help: 'b' }),
      flag: boolOpt({ help: 'f', default: false }),
      port: portOpt({ help: 'p', default: 80 }),
      n: intOpt({ help: 'n' }),
    }),
    defineGroup('vnc', 'V', 'v', {
      server_listen: strOpt({ help: 'l', default: '$my_ip' }),
      state_path: strOpt({ help: 'shadows DEFAULT', default: 'vnc-own' }),
      here: strOpt({ help: 'h', default: '$state_path' }),
      url: strOpt({ help: 'u', default: 'http://${DEFAULT.my_ip}:${port}/' }),
      hosts: listOpt({ help: 'h', default: ['$server_listen:1'] }),
    }),
  ]),
  fixups: [],
};

const load = (text: string) => {
  const dir = tempTree({ 'nova.conf': text });
  return loadConfigWith(schema, { configFiles: [join(dir, 'nova.conf')], env: {}, hostFacts: HOST });
};
const get = (conf: unknown, g: string, n: string) => (conf as Record<string, Record<string, unknown>>)[g][n];

test('defaults interpolate against final values, in any declaration order', () => {
  const { conf } = load('[DEFAULT]\nstate_path = /srv/nova\n');
  assert.equal(get(conf, 'DEFAULT', 'instances_path'), '/srv/nova/instances');
  assert.equal(get(conf, 'vnc', 'server_listen'), HOST.myIp);
  assert.deepEqual(get(conf, 'vnc', 'hosts'), [`${HOST.myIp}:1`]);
});

test('$name looks in the same group first, then DEFAULT; $group.name names the group', () => {
  const { conf } = load('[DEFAULT]\nport = 6080\n');
  assert.equal(get(conf, 'vnc', 'here'), 'vnc-own');
  assert.equal(get(conf, 'vnc', 'url'), `http://${HOST.myIp}:6080/`);
});

test('file values interpolate, and typed values interpolate before conversion', () => {
  const { conf } = load('[DEFAULT]\na = ${vnc.state_path}/x\nb = $flag-$n-$$\nn = 7\nport = $n\n');
  assert.equal(get(conf, 'DEFAULT', 'a'), 'vnc-own/x');
  assert.equal(get(conf, 'DEFAULT', 'b'), 'False-7-$');
  assert.equal(get(conf, 'DEFAULT', 'port'), 7);
});

test('an unset referenced option reads as empty text', () => {
  const { conf } = load('[DEFAULT]\nb = [$a]\n');
  assert.equal(get(conf, 'DEFAULT', 'b'), '[]');
});

test('an unknown reference is kept as written, with a warning', () => {
  const { conf, warnings } = load('[DEFAULT]\na = pa$word\n');
  assert.equal(get(conf, 'DEFAULT', 'a'), 'pa$word');
  assert.ok(warnings.some((w) => /"a" in group "DEFAULT" .* refers to \$word/.test(w)));
});

test('interpolation loops are reported, naming the chain', () => {
  assert.throws(
    () => load('[DEFAULT]\na = x$b\nb = $a\n'),
    (e: unknown) =>
      e instanceof ConfigError &&
      /Interpolation loop .*\[DEFAULT\] a -> \[DEFAULT\] b -> \[DEFAULT\] a/.test(e.message),
  );
  assert.throws(() => load('[DEFAULT]\na = $a\n'), /Interpolation loop/);
});
