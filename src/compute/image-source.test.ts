// The compute's image client: [glance] credentials when set, else the token of the request at
// hand (the install guides' nova.conf has only api_servers).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../common/log.ts';
import { loadConfig } from '../config/index.ts';
import { createContext, runInContext } from '../rpc/index.ts';
import { computeImagesFromConf } from './image-source.ts';

describe('computeImagesFromConf', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(String(req.headers['x-auth-token']));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"images": []}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  const conf = (...lines: [string, string, string][]) =>
    loadConfig({
      env: {},
      hostFacts: { hostname: 'c1', myIp: '127.0.0.1' },
      overrides: lines.map(([group, name, value]) => ({ group, name, value })),
    }).conf;

  it('api_servers without credentials: each call carries the token of the request it serves', async () => {
    const images = computeImagesFromConf(conf(['glance', 'api_servers', url]), silentLogger());
    assert.ok(images);
    await runInContext(createContext({ auth_token: 'user-token-1' }), async () => (await images()).list({}));
    await runInContext(createContext({ auth_token: 'user-token-2' }), async () => (await images()).list({}));
    assert.deepEqual(seen.splice(0), ['user-token-1', 'user-token-2']);
    await assert.rejects(
      (async () => (await images()).list({}))(),
      /this request carries none and \[glance\] has no credentials/,
    );
  });

  it('neither api_servers nor credentials: no image service (undefined)', () => {
    assert.equal(computeImagesFromConf(conf(), silentLogger()), undefined);
  });
});
