// Loading the user's config: a `tiergate.config.ts` (its default export) or a YAML/JSON file,
// validated at the boundary so the rest of tiergate only ever sees model objects.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { UserConfig } from '../../thresholds/model.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { type ParsedText, parseJsonText, parseYamlText } from './formats.ts';
import { configError, configIssues, formatIssue, type Locate, PARSE_OPTIONS } from './issues.ts';
import { UserConfigSchema } from './schema.ts';

/** The files `findDefaultConfig` looks for, in order of preference. */
export const DEFAULT_CONFIG_FILES = [
  'tiergate.config.ts',
  'tiergate.config.mjs',
  'tiergate.config.js',
  'tiergate.yaml',
  'tiergate.yml',
  'tiergate.json',
] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
const EXTENSIONS = [...MODULE_EXTENSIONS, '.yaml', '.yml', '.json'];

/** The first default config file present in `cwd`, as an absolute path. */
export function findDefaultConfig(cwd: string): string | undefined {
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = join(cwd, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

function fail(file: string, issue: ConfigIssue): never {
  throw new ConfigError(formatIssue(file, issue), file, [issue]);
}

/** Checks a parsed config against the schema and returns the normalised model objects. */
export function validateConfig(value: unknown, file: string, locate?: Locate): UserConfig {
  const result = UserConfigSchema.safeParse(value, PARSE_OPTIONS);
  if (result.success) return result.data;
  throw configError(file, configIssues(result.error, value, locate));
}

/** The gist of an error: its first line, and the next one when the first only leads in to it. */
function gist(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const [first, second] = message.split('\n').filter((line) => line.trim() !== '');
  if (first === undefined) return message;
  return first.endsWith(':') && second !== undefined ? `${first} ${second.trim()}` : first;
}

async function importConfig(abs: string, file: string): Promise<unknown> {
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(abs).href);
  } catch (err) {
    return fail(file, {
      path: '',
      problem: `could not be loaded: ${gist(err)}`,
      allowed: `fix the error; \`npx tsx ${file}\` shows it in full`,
    });
  }
  if (module.default === undefined) {
    return fail(file, {
      path: '',
      problem: 'has no default export',
      allowed: 'end it with `export default defineConfig({ roadmaps: [...] })`',
    });
  }
  return module.default;
}

function readText(abs: string, file: string): string {
  try {
    return readFileSync(abs, 'utf8');
  } catch (err) {
    return fail(file, { path: '', problem: `cannot be read: ${gist(err)}` });
  }
}

/** The path as the user would write it: relative to the working folder when inside it. */
function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

/** Loads, validates and normalises a config file; every problem is a ConfigError (exit 2). */
export async function loadConfigFile(file: string): Promise<UserConfig> {
  const abs = resolve(file);
  const name = shown(abs);
  if (!existsSync(abs)) {
    fail(name, {
      path: '',
      problem: 'does not exist',
      allowed: `check the --config path, or put one of ${DEFAULT_CONFIG_FILES.join(', ')} in the working folder`,
    });
  }
  if (!statSync(abs).isFile()) fail(name, { path: '', problem: 'is not a file' });
  const ext = extname(abs).toLowerCase();
  if (!EXTENSIONS.includes(ext)) {
    fail(name, {
      path: '',
      problem: `has an unknown extension "${ext}"`,
      allowed: `use one of ${EXTENSIONS.join(', ')}`,
    });
  }
  if (MODULE_EXTENSIONS.includes(ext)) return validateConfig(await importConfig(abs, name), name);
  const text = readText(abs, name);
  const parsed: ParsedText =
    ext === '.json' ? parseJsonText(text, name) : parseYamlText(text, name);
  return validateConfig(parsed.value, name, parsed.locate);
}
