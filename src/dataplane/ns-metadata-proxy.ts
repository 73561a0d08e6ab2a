// The metadata proxy inside a DHCP namespace (run with `ip netns exec qdhcp-<net> node …`): it
// listens on 169.254.169.254:80 there and passes each request to the metadata relay's unix socket
// in the root namespace, adding who asked (X-Forwarded-For: the guest's address) and on which
// network (X-Neutron-Network-ID) — the relay turns that into the instance. Upstream runs haproxy
// for this.
import http from 'node:http';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) {
    process.stderr.write(`usage: ns-metadata-proxy --socket PATH --network ID [--listen ADDR] [--port N]\n`);
    process.exit(2);
  }
  return v;
}

const socketPath = arg('--socket');
const networkId = arg('--network');
const listen = process.argv.includes('--listen') ? arg('--listen') : '169.254.169.254';
const port = process.argv.includes('--port') ? Number(arg('--port')) : 80;

const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers['x-forwarded-for'];
  delete headers['x-neutron-network-id'];
  const up = http.request(
    {
      socketPath,
      method: req.method,
      path: req.url,
      headers: {
        ...headers,
        'x-forwarded-for': req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '',
        'x-neutron-network-id': networkId,
      },
    },
    (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', () => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('The metadata service is not reachable.\n');
  });
  req.pipe(up);
});
server.listen(port, listen);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
