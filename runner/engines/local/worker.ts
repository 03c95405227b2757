// Worker-thread entry of the local engine: one Generator, driven by messages from the engine.
import { parentPort } from 'node:worker_threads';
import { Generator } from './generator.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('runner/engines/local/worker.ts must run in a worker thread');

const post = (message: FromWorker): void => port.postMessage(message);
let generator: Generator | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    generator = new Generator(message.config, (buckets) => post({ type: 'buckets', buckets }));
    generator.run().then(
      () => post({ type: 'done' }),
      (err: unknown) =>
        post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }),
    );
  } else {
    generator?.stop(message.graceMs);
  }
});

post({ type: 'ready' });
