// `npm run build`: the package's dist/ from a clean slate — tsc's JavaScript and .d.ts, one file
// per source file, and the files the compiled code reads beside itself.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Read at run time by reports/html/assets.ts, from the folder it runs in.
const ASSETS = ['reports/html/style.css', 'reports/html/client.js'];

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
for (const asset of ASSETS) copyFileSync(join(root, asset), join(dist, asset));
