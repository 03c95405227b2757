// Loading the user's config: a `tiergate.config.ts` (its default export) or a YAML/JSON file,
// validated at the boundary so the rest of tiergate only ever sees model objects. A
// `--gameday-file` is read the same way, against the game-day schema.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../../core/errors.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { UserConfig } from '../../thresholds/user-config.ts';
import { DEFAULT_CONFIG_FILES, displayPath } from './config-file.ts';
import { type ParsedText, parseJsonText, parseYamlText } from './formats.ts';
import { gameDayFileSchema } from './gameday.ts';
import { importModule } from './import-module.ts';
import { configError, configIssues, formatIssue, type Locate, PARSE_OPTIONS } from './issues.ts';
import { UserConfigSchema } from './schema.ts';

/**
 * Largest config (or game-day) file read: parsing holds many times a file's size in memory
 * (a 50 MB YAML took gigabytes), and real configs are a few kilobytes.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const EXTENSIONS = [...MODULE_EXTENSIONS, '.yaml', '.yml', '.json'];

function fail(file: string, issue: ConfigIssue): never {
  throw new ConfigError(formatIssue(file, issue), file, [issue]);
}

/** Checks a parsed value against a schema and returns what it normalises to. */
function validate<T>(schema: z.ZodType<T>, value: unknown, file: string, locate?: Locate): T {
  const result = schema.safeParse(value, PARSE_OPTIONS);
  if (result.success) return result.data;
  throw configError(file, configIssues(result.error, value, locate));
}

/** Checks a parsed config against the schema and returns the normalised model objects. */
export function validateConfig(value: unknown, file: string, locate?: Locate): UserConfig {
  return validate(UserConfigSchema, value, file, locate);
}

/** The gist of an error: its first line, and the next one when the first only leads in to it. */
function gist(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const [first, second] = message.split('\n').filter((line) => line.trim() !== '');
  if (first === undefined) return message;
  return first.endsWith(':') && second !== undefined ? `${first} ${second.trim()}` : first;
}

/** What the messages about a file say: the flag that names it, the default export it wants. */
interface FileKind {
  flag: string;
  orDefault: string;
  exportHint: string;
}

const CONFIG_FILE: FileKind = {
  flag: '--config',
  orDefault: `, or put one of ${DEFAULT_CONFIG_FILES.join(', ')} in the working folder`,
  exportHint: 'defineConfig({ roadmaps: [...] })',
};

const GAMEDAY_FILE: FileKind = {
  flag: '--gameday-file',
  orDefault: '',
  exportHint: 'defineGameDay({ id, steadyS, faults, ... })',
};

async function importConfig(abs: string, file: string, kind: FileKind): Promise<unknown> {
  let module: { default?: unknown };
  try {
    module = await importModule(abs);
  } catch (err) {
    return fail(file, {
      path: '',
      problem: `could not be loaded: ${gist(err)}`,
      allowed: 'fix the error in the file (or in a file it imports)',
    });
  }
  if (module.default === undefined) {
    return fail(file, {
      path: '',
      problem: 'has no default export',
      allowed: `end it with \`export default ${kind.exportHint}\``,
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

interface ReadValue {
  value: unknown;
  /** The file as messages name it. */
  name: string;
  locate?: Locate;
}

/** Reads a config-like file: a module's default export, or parsed YAML/JSON with a locator. */
async function readValue(file: string, kind: FileKind): Promise<ReadValue> {
  const abs = resolve(file);
  const name = displayPath(abs);
  if (!existsSync(abs)) {
    fail(name, {
      path: '',
      problem: 'does not exist',
      allowed: `check the ${kind.flag} path${kind.orDefault}`,
    });
  }
  const stats = statSync(abs);
  if (!stats.isFile()) fail(name, { path: '', problem: 'is not a file' });
  if (stats.size > MAX_CONFIG_BYTES) {
    fail(name, {
      path: '',
      problem: `is ${(stats.size / 1024 / 1024).toFixed(1)} MB: tiergate reads config files of up to ${MAX_CONFIG_BYTES / 1024 / 1024} MB`,
      allowed:
        'a config holds roadmaps and game days, not data: split it or remove what is generated',
    });
  }
  const ext = extname(abs).toLowerCase();
  if (!EXTENSIONS.includes(ext)) {
    fail(name, {
      path: '',
      problem: `has an unknown extension "${ext}"`,
      allowed: `use one of ${EXTENSIONS.join(', ')}`,
    });
  }
  if (MODULE_EXTENSIONS.includes(ext)) return { value: await importConfig(abs, name, kind), name };
  const text = readText(abs, name);
  const parsed: ParsedText =
    ext === '.json' ? parseJsonText(text, name) : parseYamlText(text, name);
  return { value: parsed.value, name, locate: parsed.locate };
}

/** Loads, validates and normalises a config file; every problem is a ConfigError (exit 2). */
export async function loadConfigFile(file: string): Promise<UserConfig> {
  const { value, name, locate } = await readValue(file, CONFIG_FILE);
  return validateConfig(value, name, locate);
}

/** Loads a `--gameday-file`: `{ gameDays: [...] }` or one game day; problems are ConfigErrors. */
export async function loadGameDayFile(file: string): Promise<GameDay[]> {
  const { value, name, locate } = await readValue(file, GAMEDAY_FILE);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(name, {
      path: '',
      problem: 'holds no game day',
      allowed: 'write gameDays: [ … ], or one game day: { id, steady, faults: [ … ] }',
    });
  }
  return validate(gameDayFileSchema(value), value, name, locate);
}
