// Worker threads and child processes of ours run TypeScript too: they get tsx's loader,
// resolved from this package (not from the user's working directory).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const loaderUrl = pathToFileURL(require.resolve('tsx')).href;
// The ESM build of tsx's register API (require.resolve would pick the CommonJS one).
const registerUrl = pathToFileURL(
  join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;

/** Node arguments that make a child process load `.ts` files. */
export function tsxExecArgv(): string[] {
  return ['--import', loaderUrl];
}

/**
 * A worker thread running a `.ts` module. On Node 20 `--import` hooks do not reach a worker's
 * entry module, so a tiny bootstrap registers tsx inside the worker first.
 */
export function tsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const bootstrap = `import(${JSON.stringify(registerUrl)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
