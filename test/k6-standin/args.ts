// The command line the stand-in accepts: `k6 version`, `k6 run …` and `k6 inspect …` with the
// flags tiergate passes. Anything else is refused (exit 104) rather than ignored.
import { EXIT, K6Exit } from './log.ts';

export interface CliOptions {
  command: 'run' | 'inspect';
  script: string;
  env: Record<string, string>;
  quiet: boolean;
  paused: boolean;
  address: string | undefined;
  /** `--out name[=arg]`, in order. */
  outs: { name: string; arg: string | undefined }[];
  /** `--system-tags`; undefined keeps k6's default set. */
  systemTags: string[] | undefined;
  tags: Record<string, string>;
  segment: string | undefined;
  sequence: string | undefined;
  noThresholds: boolean;
  summaryExport: string | undefined;
  executionRequirements: boolean;
}

type Kind = 'bool' | 'value';
interface FlagSpec {
  key: string;
  kind: Kind;
  commands: readonly CliOptions['command'][];
}

const BOTH = ['run', 'inspect'] as const;
const FLAGS: Record<string, FlagSpec> = {
  '--env': { key: 'env', kind: 'value', commands: BOTH },
  '-e': { key: 'env', kind: 'value', commands: BOTH },
  '--quiet': { key: 'quiet', kind: 'bool', commands: ['run'] },
  '-q': { key: 'quiet', kind: 'bool', commands: ['run'] },
  '--paused': { key: 'paused', kind: 'bool', commands: ['run'] },
  '-p': { key: 'paused', kind: 'bool', commands: ['run'] },
  '--address': { key: 'address', kind: 'value', commands: ['run'] },
  '-a': { key: 'address', kind: 'value', commands: ['run'] },
  '--out': { key: 'out', kind: 'value', commands: ['run'] },
  '-o': { key: 'out', kind: 'value', commands: ['run'] },
  '--system-tags': { key: 'systemTags', kind: 'value', commands: BOTH },
  '--tag': { key: 'tag', kind: 'value', commands: BOTH },
  '--execution-segment': { key: 'segment', kind: 'value', commands: BOTH },
  '--execution-segment-sequence': { key: 'sequence', kind: 'value', commands: BOTH },
  '--no-thresholds': { key: 'noThresholds', kind: 'bool', commands: ['run'] },
  '--summary-export': { key: 'summaryExport', kind: 'value', commands: ['run'] },
  // The stand-in never reports usage anywhere: the flag asks for what it does anyway.
  '--no-usage-report': { key: 'noUsageReport', kind: 'bool', commands: ['run'] },
  '--execution-requirements': { key: 'executionRequirements', kind: 'bool', commands: ['inspect'] },
};

function refuse(message: string): never {
  throw new K6Exit(EXIT.invalidConfig, message);
}

function keyValue(text: string, flag: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) refuse(`${flag} needs KEY=VALUE, got "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

export function parseArgs(command: CliOptions['command'], argv: string[]): CliOptions {
  const o: CliOptions = {
    command,
    script: '',
    env: {},
    quiet: false,
    paused: false,
    address: undefined,
    outs: [],
    systemTags: undefined,
    tags: {},
    segment: undefined,
    sequence: undefined,
    noThresholds: false,
    summaryExport: undefined,
    executionRequirements: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = FLAGS[name];
    if (spec === undefined || !spec.commands.includes(command)) {
      refuse(`unknown flag: ${name} (the tiergate k6 stand-in implements only what tiergate uses)`);
    }
    let value = 'true';
    if (spec.kind === 'value') {
      if (arg.startsWith('--') && eq > 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else refuse(`flag needs an argument: ${name}`);
    } else if (eq > 0) {
      refuse(`${name} takes no value in the stand-in`);
    }
    switch (spec.key) {
      case 'env': {
        const [k, v] = keyValue(value, name);
        o.env[k] = v;
        break;
      }
      case 'tag': {
        const [k, v] = keyValue(value, name);
        o.tags[k] = v;
        break;
      }
      case 'out': {
        const at = value.indexOf('=');
        o.outs.push(
          at < 0
            ? { name: value, arg: undefined }
            : { name: value.slice(0, at), arg: value.slice(at + 1) },
        );
        break;
      }
      case 'systemTags':
        o.systemTags = value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        break;
      case 'quiet':
      case 'paused':
      case 'noThresholds':
      case 'executionRequirements':
        o[spec.key] = true;
        break;
      case 'address':
      case 'segment':
      case 'sequence':
      case 'summaryExport':
        o[spec.key] = value;
        break;
    }
  }
  if (positional.length !== 1) {
    refuse(`k6 ${command} needs exactly one script argument, got ${positional.length}`);
  }
  o.script = positional[0]!;
  return o;
}
