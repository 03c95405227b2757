// `tiergate init` in a fresh project: the files it writes, the workflow checked by actionlint
// (built from its Go module by `npm run actionlint:install`), the starter config loaded by
// `tiers` and `plan`, and no file ever written over without --force.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tiergate } from './helpers/cli.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ACTIONLINT = join(ROOT, '.tiergate/bin/actionlint');
const WORKFLOW = '.github/workflows/tiergate.yml';

async function actionlint(file: string): Promise<{ code: number; output: string }> {
  if (!existsSync(ACTIONLINT)) {
    throw new Error(`${ACTIONLINT} is missing: run \`npm run actionlint:install\` first`);
  }
  try {
    const { stdout } = await promisify(execFile)(ACTIONLINT, ['-no-color', file]);
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

/** A fresh ESM project with tiergate installed (linked, as `npm install <folder>` does). */
async function freshProject(parent: string, name: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, type: 'module' }));
  await symlink(ROOT, join(dir, 'node_modules', 'tiergate'), 'dir');
  return dir;
}

describe('tiergate init', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tiergate-init-'));
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('writes a config, a GitHub workflow that actionlint passes and a GitLab job', async () => {
    const dir = await freshProject(parent, 'ts-project');
    const init = await tiergate(['init', '--dir', dir]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`wrote ${WORKFLOW}`);

    const lint = await actionlint(join(dir, WORKFLOW));
    expect(lint.output).toBe('');
    expect(lint.code).toBe(0);
    // The linter does look: a broken expression in the same workflow fails it.
    const broken = join(dir, 'broken.yml');
    const text = await readFile(join(dir, WORKFLOW), 'utf8');
    await writeFile(broken, text.replace('!cancelled()', '!cancelled('));
    expect((await actionlint(broken)).code).toBe(1);

    const workflow = parse(text);
    expect(Object.keys(workflow.on)).toContain('pull_request');
    const steps = workflow.jobs['phase-gate'].steps as {
      uses?: string;
      run?: string;
      with?: Record<string, string>;
    }[];
    const gate = steps.find((s) => s.run?.startsWith('npx tiergate run'));
    expect(gate?.run).toContain('--roadmap my-service --tier launch');
    const junit = steps.find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
    expect(junit?.with?.report_paths).toBe('results/*/junit.xml');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toContain('results/*/report.html');

    const gitlab = parse(await readFile(join(dir, '.gitlab-ci.yml'), 'utf8'));
    expect(gitlab.tiergate.artifacts.reports.junit).toBe('results/*/junit.xml');
    expect(gitlab.tiergate.artifacts.when).toBe('always');
    expect(gitlab.tiergate.script.join('\n')).toContain('npx tiergate run --roadmap my-service');

    // The starter config is found in the project and loads.
    const tiers = await tiergate(['tiers', 'my-service'], { cwd: dir });
    expect(tiers.code, tiers.stderr).toBe(0);
    expect(tiers.stdout).toContain('my-service / launch');
    const plan = await tiergate(
      ['plan', '--roadmap', 'my-service', '--tier', 'launch', '--target', 'demo'],
      { cwd: dir },
    );
    expect(plan.code, plan.stderr).toBe(0);
  }, 60_000);

  it('writes over nothing without --force, and names what is there', async () => {
    const dir = await freshProject(parent, 'existing');
    await writeFile(join(dir, '.gitlab-ci.yml'), 'mine: {}\n');
    const refused = await tiergate(['init', '--dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.gitlab-ci.yml already exists');
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(dir, 'tiergate.config.ts'))).toBe(false);
    expect(await readFile(join(dir, '.gitlab-ci.yml'), 'utf8')).toBe('mine: {}\n');

    const forced = await tiergate(['init', '--dir', dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(dir, '.gitlab-ci.yml'), 'utf8')).toContain('reports:');
  }, 60_000);

  it('writes a YAML config with --format yaml', async () => {
    const dir = await freshProject(parent, 'yaml-project');
    const init = await tiergate(['init', '--format', 'yaml', '--dir', dir]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('wrote tiergate.yaml');
    expect(existsSync(join(dir, 'tiergate.config.ts'))).toBe(false);
    const tiers = await tiergate(['tiers', 'my-service', 'growth'], { cwd: dir });
    expect(tiers.code, tiers.stderr).toBe(0);
    expect(tiers.stdout).toContain('availability >= 99.9%');
  }, 60_000);
});
