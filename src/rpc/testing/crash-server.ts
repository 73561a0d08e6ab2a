// A server process for the redelivery test: listens on a topic with a handler that never finishes,
// prints `ready` once consuming and `started <id>` per message, and waits to be killed.
// Usage: node crash-server.ts <transport_url> <exchange> <topic> <prefetch>
import { createTransport } from '../registry.ts';

const [url, exchange, topic, prefetch] = process.argv.slice(2);
const transport = await createTransport(url, { exchange, prefetch: Number(prefetch) });
await transport.listen({ topic, server: 'doomed' }, [
  {
    version: '1.0',
    methods: {
      work: (_ctx, args) => {
        process.stdout.write(`started ${String(args.id)}\n`);
        return new Promise(() => {});
      },
    },
  },
]);
process.stdout.write('ready\n');
