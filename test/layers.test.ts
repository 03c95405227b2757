// The layer rule of ARCHITECTURE.md, as `npm run lint` checks it: the real tree passes, and a
// backward, sideways or circular import (type imports included) in a small tree of the same
// folders fails, naming the rule and the two files.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Cruise {
  code: number;
  output: string;
}

function cruise(cwd: string): Promise<Cruise> {
  return new Promise((resolve) => {
    execFile(
      DEPCRUISE,
      ['--config', CONFIG, '--no-progress', '.'],
      { cwd, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        // Plain text, one space between words: the report wraps long chains over lines.
        const output = stripVTControlCharacters(stdout + stderr).replace(/\s+/g, ' ');
        resolve({ code, output });
      },
    );
  });
}

const trees: string[] = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A scratch tree holding `files` (path → source) beside nothing else. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tiergate-layers-'));
  trees.push(dir);
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
  }
  return dir;
}

describe('the layer rule', () => {
  it('holds for the repository as it is', async () => {
    const result = await cruise(ROOT);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  }, 90_000);

  it('passes a downward import', async () => {
    const dir = await tree({
      'core/errors.ts': 'export class E extends Error {}\n',
      'thresholds/model.ts': "import { E } from '../core/errors.ts';\nexport const e = new E();\n",
    });
    const result = await cruise(dir);
    expect(result.code).toBe(0);
  });

  it('fails a backward import, even of a type only', async () => {
    const dir = await tree({
      'runner/cli/run-flags.ts': 'export interface RunFlags { rate?: string }\n',
      'thresholds/plan.ts':
        "import type { RunFlags } from '../runner/cli/run-flags.ts';\nexport type P = RunFlags;\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      'layer:thresholds: thresholds/plan.ts → runner/cli/run-flags.ts',
    );
  });

  it('fails a sideways import between folders of one layer', async () => {
    const dir = await tree({
      'reports/terminal.ts': 'export const render = (): string => "";\n',
      'chaos/driver.ts':
        "import { render } from '../reports/terminal.ts';\nexport const r = render;\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('layer:chaos: chaos/driver.ts → reports/terminal.ts');
  });

  it('fails a circle inside one folder', async () => {
    const dir = await tree({
      'thresholds/model.ts':
        "import type { GameDay } from './gameday.ts';\nexport interface Tier { g?: GameDay }\n",
      'thresholds/gameday.ts':
        "import type { Tier } from './model.ts';\nexport interface GameDay { t?: Tier }\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /no-circular: thresholds\/(model|gameday)\.ts → thresholds\/(model|gameday)\.ts → /,
    );
  });

  it('fails a source folder that belongs to no layer', async () => {
    const dir = await tree({
      'core/errors.ts': 'export class E extends Error {}\n',
      'plugins/extra.ts': "import { E } from '../core/errors.ts';\nexport const e = new E();\n",
    });
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('not-in-a-layer: plugins/extra.ts');
  });
});
