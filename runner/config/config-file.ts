// Which config file a command reads when none is named, and how messages name a file. Kept
// apart from the loader so a command without a config file never loads the schema.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

/** The files `findDefaultConfig` looks for, in order of preference. */
export const DEFAULT_CONFIG_FILES = [
  'tiergate.config.ts',
  'tiergate.config.mts',
  'tiergate.config.cts',
  'tiergate.config.js',
  'tiergate.config.mjs',
  'tiergate.config.cjs',
  'tiergate.yaml',
  'tiergate.yml',
  'tiergate.json',
] as const;

/** The first default config file present in `cwd`, as an absolute path. */
export function findDefaultConfig(cwd: string): string | undefined {
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = join(cwd, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** The path as the user would write it: relative to the working folder when inside it. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}
