// tiergate's own modules run as TypeScript from a clone (through tsx, a dev dependency) and as
// compiled JavaScript from the package's dist/. A worker thread or child process of ours starts
// the entry file of the same kind as the module that starts it: no transpiler in the package.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The module `relative` (named as in the sources, `./worker.ts`) beside `base` (the caller's
 * `import.meta.url`): its compiled `.js` when the caller is compiled.
 */
export function ownModule(relative: string, base: string): URL {
  const url = new URL(relative, base);
  if (base.endsWith('.js')) url.pathname = url.pathname.replace(/\.ts$/, '.js');
  return url;
}

const isSource = (entry: URL): boolean => entry.pathname.endsWith('.ts');

/** tsx, resolved from this package (not from the user's working directory); only from a clone. */
function tsxUrls(): { loader: string; register: string } {
  const require = createRequire(import.meta.url);
  return {
    loader: pathToFileURL(require.resolve('tsx')).href,
    // The ESM build of tsx's register API (require.resolve would pick the CommonJS one).
    register: pathToFileURL(
      join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
    ).href,
  };
}

/** Node arguments a child process needs to run `entry`: tsx's loader for a `.ts` file. */
export function nodeArgsFor(entry: URL): string[] {
  return isSource(entry) ? ['--import', tsxUrls().loader] : [];
}

/**
 * A worker thread running `entry`. On Node 20 `--import` hooks do not reach a worker's entry
 * module, so for a `.ts` entry a tiny bootstrap registers tsx inside the worker first.
 */
export function ownWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!isSource(entry)) return new Worker(entry, options);
  const bootstrap = `import(${JSON.stringify(tsxUrls().register)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
