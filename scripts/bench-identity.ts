// Token validation throughput of the embedded identity service, in process (what every API's auth
// hook pays per request): `npx node scripts/bench-identity.ts [--seconds 3]`.
// Prints validations/s for one hot token, for 1,000 distinct tokens, and for issuing.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { embeddedValidator } from '../src/identity/service.ts';
import { testApp } from '../src/identity/testing.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const dbFile = `${process.env.TMPDIR ?? '/tmp'}/novats-bench-identity-${process.pid}.db`;
const t = await testApp(`sqlite:///${dbFile}`, 5000);

async function rate(label: string, fn: (i: number) => Promise<unknown>, secs = seconds): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(i); // warm-up
  let n = 0;
  const start = performance.now();
  const end = start + secs * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) await fn(n++);
  }
  const perSec = n / ((performance.now() - start) / 1000);
  process.stdout.write(`${label.padEnd(52)} ${Math.round(perSec).toLocaleString('en-US')}/s\n`);
  return perSec;
}

try {
  const validator = embeddedValidator(t.svc);
  const hot = await t.token();
  const many: string[] = [];
  for (let i = 0; i < 1000; i++)
    many.push(
      (
        await t.call('POST', '/v3/auth/tokens', undefined, {
          auth: {
            identity: { methods: ['token'], token: { id: hot } },
            scope: { project: { name: 'admin', domain: { id: 'default' } } },
          },
        })
      ).headers['x-subject-token'] as string,
    );
  const hotRate = await rate('embeddedValidator, same token (token cache hit)', () =>
    validator.validate(hot),
  );
  // Every call decrypts, checks expiry and revocation; user/scope/roles come from the subject cache.
  const decryptRate = await rate('decrypt + expiry + revocation, 1,000 tokens', (i) =>
    t.svc.tokens.validate(many[i % many.length]),
  );
  // What an API pays for a token it has not seen: a new validator (empty token cache) every 1,000.
  const fresh = () => embeddedValidator(t.svc);
  let v = fresh();
  const coldRate = await rate('embeddedValidator, unseen tokens, with catalog', (i) => {
    if (i % 1000 === 0) v = fresh();
    return v.validate(many[i % many.length]);
  });
  await rate('GET /v3/auth/tokens (app.inject, HTTP stack)', () =>
    t.call('GET', '/v3/auth/tokens?nocatalog', hot, undefined, { 'x-subject-token': hot }),
  );
  await rate(
    'issue (token method, no scrypt)',
    () =>
      t.call('POST', '/v3/auth/tokens?nocatalog', undefined, {
        auth: { identity: { methods: ['token'], token: { id: hot } } },
      }),
    1,
  );
  process.stdout.write(
    Math.min(hotRate, decryptRate, coldRate) >= 5000
      ? 'target (>= 5,000 validations/s) met\n'
      : 'target (>= 5,000 validations/s) NOT met\n',
  );
} finally {
  await t.cleanup();
  rmSync(dbFile, { force: true });
}
