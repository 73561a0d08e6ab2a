// Free loopback ports for a test's servers (the OS picks them; a test then binds them at once).
import net from 'node:net';

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A nova.conf fragment moving every all-in-one HTTP role to a free port. */
export async function allInOnePortsConf(host: string): Promise<string> {
  const [compute, identity, image, placement, novnc, serial, network, metadata] = await freePorts(8);
  return [
    '[DEFAULT]',
    `osapi_compute_listen_port = ${compute}`,
    `metadata_listen_port = ${metadata}`,
    `host = ${host}`,
    '[identity]',
    `port = ${identity}`,
    '[keystone_authtoken]',
    `www_authenticate_uri = http://127.0.0.1:${identity}`,
    '[image]',
    `port = ${image}`,
    '[placement_api]',
    `port = ${placement}`,
    '[vnc]',
    `novncproxy_port = ${novnc}`,
    `novncproxy_base_url = http://127.0.0.1:${novnc}/vnc_auto.html`,
    '[serial_console]',
    `serialproxy_port = ${serial}`,
    `base_url = ws://127.0.0.1:${serial}/`,
    '[network_service]',
    `port = ${network}`,
    '',
  ].join('\n');
}
