// The user's script (JS or TS, with its relative imports) as one CommonJS function body, its
// k6 imports bound to the stand-in's modules. k6 itself transpiles TS file by file; bundling
// gives the same program for the scripts tiergate ships.
import { dirname, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { EXIT, K6Exit } from './log.ts';
import { MODULE_EXPORTS, MODULES_GLOBAL } from './modules.ts';

function moduleSource(name: string): string {
  const names = MODULE_EXPORTS[name] ?? [];
  return [
    `const m = globalThis[${JSON.stringify(MODULES_GLOBAL)}][${JSON.stringify(name)}];`,
    'export default m;',
    ...names.map((n) => `export const ${n} = m.${n};`),
  ].join('\n');
}

const k6Modules: Plugin = {
  name: 'k6-standin-modules',
  setup(b) {
    b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
      if (!(args.path in MODULE_EXPORTS)) {
        return {
          errors: [{ text: `module ${args.path} is not provided by the tiergate k6 stand-in` }],
        };
      }
      return { path: args.path, namespace: 'k6' };
    });
    b.onResolve({ filter: /^https?:\/\// }, (args) => ({
      errors: [
        { text: `remote module ${args.path}: the tiergate k6 stand-in loads local files only` },
      ],
    }));
    b.onLoad({ filter: /.*/, namespace: 'k6' }, (args) => ({
      contents: moduleSource(args.path),
      loader: 'js',
    }));
  },
};

export interface BundledScript {
  /** Absolute path of the script (open() resolves against its folder). */
  path: string;
  code: string;
}

export async function bundleScript(script: string): Promise<BundledScript> {
  const path = resolve(script);
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      plugins: [k6Modules],
      charset: 'utf8',
      logLevel: 'silent',
      sourcemap: false,
      absWorkingDir: dirname(path),
    });
    const file = result.outputFiles[0];
    if (file === undefined) throw new Error('esbuild produced nothing');
    return { path, code: file.text };
  } catch (err) {
    const errors = (
      err as { errors?: { text: string; location?: { file: string; line: number } }[] }
    ).errors;
    const text = errors?.length
      ? errors
          .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
          .join('; ')
      : (err as Error).message;
    throw new K6Exit(EXIT.scriptException, `could not load ${script}: ${text}`);
  }
}
