import { systemClock } from '../common/clock.ts';
import { computeImagesFromConf } from '../compute/image-source.ts';
import { computeNetworkFromConf } from '../compute/network-source.ts';
import { computePlacement } from '../compute/placement.ts';
import { type ComputeHost, createComputeService } from '../compute/service.ts';
import { StartupError } from '../faults/fault.ts';
import { FakeHypervisorNetwork } from '../virt/fake/network.ts';
import { createVirtDriver, fakeHostNames } from '../virt/registry.ts';
import { str } from './args.ts';
import { openTransport, runDaemon } from './daemon.ts';
import { placementFromConf } from './service-clients.ts';

export const run = (argv: readonly string[]) =>
  runDaemon(argv, {
    prog: 'nova-compute',
    description:
      'nova-compute: runs instances on this host through [DEFAULT] compute_driver. Needs transport_url and [placement] (no database access).',
    flags: [
      {
        name: '--fake-hosts',
        metavar: 'N',
        help: 'Run N fake compute hosts (<host>-1 … <host>-N) with the fake driver in this process, for scale tests.',
      },
    ],
    async start(ctx) {
      const conf = ctx.conf;
      const raw = str(ctx.args.fake_hosts);
      const n = raw === undefined ? 0 : Number(raw);
      if (!Number.isInteger(n) || n < 0)
        throw new StartupError(`--fake-hosts must be a whole number ≥ 0, not ${raw}.`);
      let hosts: ComputeHost[];
      // Read after the transport opens (a broker problem is the one line an operator sees first);
      // the driver asks for the image service only when it needs an image.
      let images: ReturnType<typeof computeImagesFromConf>;
      const driverImages = async () => {
        if (!images)
          throw new Error(
            'nova-compute has no image service: set [glance] api_servers (and credentials, or calls use the request token).',
          );
        return images();
      };
      try {
        if (n > 0) {
          const network = new FakeHypervisorNetwork();
          hosts = fakeHostNames(conf.DEFAULT.host, n).map((host) => ({
            host,
            driver: createVirtDriver('fake', { host, conf, fakeNetwork: network }),
          }));
        } else {
          const host = conf.DEFAULT.host;
          const driver = createVirtDriver(conf.DEFAULT.compute_driver ?? 'fake', {
            host,
            conf,
            log: ctx.log,
            images: driverImages,
          });
          hosts = [{ host, driver }];
        }
      } catch (err) {
        throw new StartupError(`${(err as Error).message} Set [DEFAULT] compute_driver.`);
      }
      const transport = await openTransport(ctx);
      images = computeImagesFromConf(conf, ctx.log);
      const network = computeNetworkFromConf(conf, ctx.log);
      const placement = computePlacement(placementFromConf(conf, ctx.log, 'nova-compute'), ctx.log);
      const services = hosts.map((h) =>
        createComputeService(
          {
            conf,
            transport,
            log: ctx.log,
            clock: systemClock,
            placement,
            ...(images ? { images } : {}),
            ...(network ? { network } : {}),
          },
          h,
        ),
      );
      for (const s of services) await s.start();
      return services;
    },
  });
