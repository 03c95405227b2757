// The package as a user gets it: one `npm pack`, installed into a fresh CommonJS project (the
// `npm init -y` default) and a fresh ESM one, then used there as the README says — `tiers`, a
// short demo run, the README's typed config, `import { defineConfig } from 'tiergate'` from a
// .mjs and from a strict tsc under node16 and bundler resolution; and `tiers` under the other
// current Node LTS lines, from the npm registry's Node binaries.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** Node LTS lines besides the one running the suite, from the registry's `node-<os>-<arch>`. */
const OTHER_LTS = ['22', '24'];
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: none of the npm script variables of the suite's own run. */
function userEnv(): NodeJS.ProcessEnv {
  const keep = ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || keep.includes(k)),
  );
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false' };
}

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: userEnv(), timeout }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(cmd: string, args: string[], cwd: string): Promise<Result> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];

/** The README's `tiergate.config.ts` example, as a user would copy it. */
function readmeConfig(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ tiergate\.config\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined)
    throw new Error('README.md has no ```ts block starting // tiergate.config.ts');
  return block;
}

const MJS_IMPORT = "import { defineConfig } from 'tiergate';\nconsole.log(typeof defineConfig);\n";

const dir = mkdtempSync(join(tmpdir(), 'tiergate-package-'));
const projects = { cjs: join(dir, 'cjs'), esm: join(dir, 'esm') };
const nodes = join(dir, 'nodes');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(path: string, manifest: object): void {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(path, 'tiergate.config.ts'), readmeConfig());
  writeFileSync(join(path, 'check.mjs'), MJS_IMPORT);
}

beforeAll(async () => {
  // `npm pack` builds dist/ first (prepare).
  const packed = await ok('npm', ['pack', '--silent', '--pack-destination', dir], ROOT);
  const tarball = join(dir, packed.stdout.trim().split('\n').pop() ?? '');
  // What `npm init -y` writes (no "type": CommonJS), and the same as an ES module project.
  project(projects.cjs, { name: 'cjs-project', version: '1.0.0', main: 'index.js' });
  project(projects.esm, { name: 'esm-project', version: '1.0.0', type: 'module' });
  mkdirSync(nodes);
  writeFileSync(join(nodes, 'package.json'), '{ "name": "nodes", "private": true }');
  const binaries = OTHER_LTS.map((v) => `node${v}@npm:${NODE_PACKAGE}@${v}`);
  await Promise.all([
    ok('npm', [...INSTALL, tarball], projects.cjs),
    ok('npm', [...INSTALL, tarball], projects.esm),
    ok('npm', [...INSTALL, ...binaries], nodes),
  ]);
}, 180_000);

/** Exit codes of the verdicts a short healthy run can end with. */
const VERDICT_EXIT: Record<string, number> = { PASS: 0, INCONCLUSIVE: 4 };

// The demo runs go one at a time, with nothing else of this file running. A generator starved of
// CPU by the rest of the machine rightly calls its run inconclusive (exit 4, saying it fell
// behind): the run must then have said so; any other ending is a failure.
describe.each(Object.entries(projects))('a run from a fresh %s project', (_, cwd) => {
  it('runs a short ad-hoc run against the demo and prints its verdict', async () => {
    const results = join(cwd, 'results');
    const args = ['tiergate', 'run', '--target', 'demo', '--rate', '50', '--duration', '4s'];
    const r = await run('npx', [...args, '--results-dir', results], cwd);
    const verdict = /^Gate: (\w+)/m.exec(r.stdout)?.[1] ?? 'none';
    expect(r.stdout).toMatch(/^requests\s+200 completed/m);
    expect(VERDICT_EXIT[verdict], `${r.stdout}${r.stderr}`).toBe(r.code);
    if (verdict === 'INCONCLUSIVE') expect(r.stdout).toContain('the generator fell behind');
  });
});

// The other cases only wait on child processes of their own (folders, outputs): side by side.
describe.concurrent('the packed tiergate', () => {
  describe.each(Object.entries(projects))('in a fresh %s project', (_, cwd) => {
    it("lists the built-in roadmaps and the TS config's own", async () => {
      const r = await ok('npx', ['tiergate', 'tiers'], cwd);
      expect(r.stdout).toContain('ecommerce');
      expect(r.stdout).toMatch(/^shop\s+Shop/m);
      expect(r.stdout).toMatch(/launch\s+50\.0 req\/s/);
    });

    it('is imported from a .mjs by plain Node', async () => {
      expect((await ok('node', ['check.mjs'], cwd)).stdout.trim()).toBe('function');
    });
  });

  it('bundles a k6 script from the installed scenarios', async () => {
    const out = join(dir, 'k6-export');
    const target = ['--target', 'http://127.0.0.1:9'];
    const args = ['tiergate', 'k6', 'export', '--roadmap', 'shop', '--tier', 'launch', ...target];
    await ok('npx', [...args, '--out', out], projects.esm);
    const script = readFileSync(join(out, 'tiergate-shop-launch.js'), 'utf8');
    expect(script).toMatch(/from ["']k6\/http["']/);
    expect(script).toContain('"roadmap": "shop"');
    // The journey the bundle took from the installed scenarios/, as k6's default function.
    expect(script).toMatch(/\bas default\b|export default/);
  });

  describe('the README config under a strict tsc, tiergate from its .d.ts', () => {
    /** One tsc program over `files`, from a tsconfig in the temp folder. */
    async function tsc(name: string, options: object, files: string[]): Promise<Result> {
      const compilerOptions = {
        strict: true,
        noEmit: true,
        target: 'es2022',
        skipLibCheck: false,
        types: [],
        ...options,
      };
      const config = join(dir, `tsconfig.${name}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions, files }));
      return run(process.execPath, [TSC, '-p', config], dir);
    }

    it('type-checks under node16 resolution (a CommonJS project names it .mts)', async () => {
      const mts = join(projects.cjs, 'typed.mts');
      writeFileSync(mts, readmeConfig());
      const files = [join(projects.esm, 'tiergate.config.ts'), mts];
      const r = await tsc('node16', { module: 'node16', moduleResolution: 'node16' }, files);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    });

    it('type-checks under bundler resolution in both projects', async () => {
      const files = Object.values(projects).map((p) => join(p, 'tiergate.config.ts'));
      const r = await tsc('bundler', { module: 'esnext', moduleResolution: 'bundler' }, files);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    });
  });

  it.each(OTHER_LTS)('lists tiers, the TS config included, under Node %s', async (version) => {
    const node = join(nodes, `node_modules/node${version}/bin/node`);
    expect((await ok(node, ['--version'], dir)).stdout).toMatch(new RegExp(`^v${version}\\.`));
    const bin = join(projects.cjs, 'node_modules/tiergate/dist/bin/tiergate.js');
    const r = await ok(node, [bin, 'tiers'], projects.cjs);
    expect(r.stdout).toMatch(/^shop\s+Shop/m);
  });
});
