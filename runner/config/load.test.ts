import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { findDefaultConfig } from './config-file.ts';
import { loadConfigFile } from './load.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const thresholds = (file: string) =>
  pathToFileURL(path.resolve(import.meta.dirname, '../../thresholds', file)).href;

const TS_CONFIG = `
import { defineConfig } from '${pathToFileURL(path.resolve(import.meta.dirname, 'define.ts')).href}';
import { parseObjective } from '${thresholds('objective.ts')}';

export default defineConfig({
  roadmaps: [
    {
      id: 'api',
      name: 'API',
      description: 'typed config',
      seeds: [],
      tiers: [
        {
          id: 't1',
          name: 'Tier 1',
          load: { kind: 'vus', vus: 5 },
          stages: [{ durationS: 10, target: 1, steady: true }],
          journey: { name: 'j', requests: [{ name: 'home', method: 'GET', path: '/', weight: 1 }] },
          objectives: [parseObjective('p95 < 2s', { window: 'steady' })],
          rollbackTriggers: [],
        },
      ],
    },
  ],
});
`;

async function rejection(file: string): Promise<ConfigError> {
  const err = await loadConfigFile(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('loadConfigFile', () => {
  it('loads the default export of a tiergate.config.ts written with defineConfig', async () => {
    const config = await loadConfigFile(write('ts/tiergate.config.ts', TS_CONFIG));
    const tier = config.roadmaps?.[0]?.tiers[0];
    expect(config.roadmaps?.map((r) => r.id)).toEqual(['api']);
    expect(tier?.load).toEqual({ kind: 'vus', vus: 5 });
    expect(tier?.objectives[0]).toMatchObject({ id: 'p95-steady', window: 'steady' });
  });

  it('validates a .ts config too', async () => {
    const file = write('ts-bad/tiergate.config.ts', 'export default { roadmaps: [{ id: 1 }] };\n');
    const err = await rejection(file);
    expect(err.path).toBe('roadmaps[0].id');
    expect(err.message).toContain('roadmaps[0].id: 1 is not a string');
  });

  it('loads CommonJS and TypeScript module flavours: .cjs, .cts, .mts', async () => {
    const config = (ns: string) => `{ chaosNamespaces: ['${ns}'] }`;
    const files = {
      cjs: `module.exports = ${config('cjs')};\n`,
      cts: `const c: object = ${config('cts')};\nexport default c;\n`,
      mts: `const c: object = ${config('mts')};\nexport default c;\n`,
    };
    for (const [ext, text] of Object.entries(files)) {
      const loaded = await loadConfigFile(write(`flavours/tiergate.config.${ext}`, text));
      expect(loaded).toEqual({ chaosNamespaces: [ext] });
    }
  });

  it('says so when a module config has no default export', async () => {
    const err = await rejection(write('nodefault.config.mjs', 'export const x = 1;\n'));
    expect(err.message).toContain('has no default export');
  });

  it('loads a JSON config with friendly forms', async () => {
    const json = {
      roadmaps: [
        {
          id: 'j',
          tiers: [
            {
              id: 'one',
              load: { rps: 20 },
              stages: [{ duration: '30s', target: 1, steady: true }],
              journey: { requests: [{ name: 'home', path: '/' }] },
              objectives: ['error_rate < 1%'],
            },
          ],
        },
      ],
    };
    const config = await loadConfigFile(write('config.json', JSON.stringify(json, null, 2)));
    const roadmap = config.roadmaps?.[0];
    expect(roadmap).toMatchObject({ id: 'j', name: 'j', description: '', seeds: [] });
    expect(roadmap?.tiers[0]?.stages).toEqual([{ durationS: 30, target: 1, steady: true }]);
    expect(roadmap?.tiers[0]?.journey).toEqual({
      name: 'one',
      requests: [{ name: 'home', method: 'GET', path: '/', weight: 1 }],
    });
  });

  it('reads the chaos allow-list, and names a namespace Kubernetes would refuse', async () => {
    const ok = await loadConfigFile(
      write('ns/tiergate.yaml', 'chaosNamespaces: [shop, staging]\n'),
    );
    expect(ok.chaosNamespaces).toEqual(['shop', 'staging']);
    const err = await rejection(write('ns-bad/tiergate.yaml', 'chaosNamespaces: [shop, Prod_1]\n'));
    expect(err.path).toBe('chaosNamespaces[1]');
    expect(err.message).toMatch(/tiergate\.yaml:1:\d+: chaosNamespaces\[1\]: "Prod_1"/);
    expect(err.message).toContain('RFC 1123');
  });

  it('gives the line of a JSON syntax error', async () => {
    const err = await rejection(write('trailing.json', '{\n  "roadmaps": [\n    {},\n  ]\n}\n'));
    expect(err.path).toBe('');
    expect(err.issues[0]?.line).toBe(3);
    expect(err.message).toMatch(/trailing\.json:3:\d+: is not valid JSON/);
  });

  it('gives the line and column of a YAML syntax error', async () => {
    const err = await rejection(write('broken.yaml', 'roadmaps:\n  - id: a\n   name: [1\n'));
    expect(err.issues[0]?.line).toBe(3);
    expect(err.message).toMatch(
      /broken\.yaml:3:\d+: is not valid YAML: .+ \(fix the syntax at line 3/,
    );
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('names a missing file', async () => {
    const missing = path.join(dir, 'nope', 'tiergate.yaml');
    const err = await rejection(missing);
    expect(err.file).toBe(missing);
    expect(err.message).toContain(`${missing}: does not exist`);
  });

  it('refuses an unknown extension', async () => {
    const err = await rejection(write('tiergate.toml', 'x = 1\n'));
    expect(err.message).toContain('has an unknown extension ".toml"');
  });

  it('takes an empty YAML file as a config with no roadmaps', async () => {
    expect(await loadConfigFile(write('empty.yaml', '# nothing yet\n'))).toEqual({});
  });
});

describe('findDefaultConfig', () => {
  it('prefers tiergate.config.ts, then the others in order', () => {
    const here = path.join(dir, 'find');
    expect(findDefaultConfig(here)).toBeUndefined();
    write('find/tiergate.json', '{}');
    expect(findDefaultConfig(here)).toBe(path.join(here, 'tiergate.json'));
    write('find/tiergate.yaml', '{}');
    expect(findDefaultConfig(here)).toBe(path.join(here, 'tiergate.yaml'));
    write('find/tiergate.config.mts', 'export default {};');
    expect(findDefaultConfig(here)).toBe(path.join(here, 'tiergate.config.mts'));
    write('find/tiergate.config.ts', 'export default {};');
    expect(findDefaultConfig(here)).toBe(path.join(here, 'tiergate.config.ts'));
  });
});
