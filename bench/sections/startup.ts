// 0. Start-up: how long `tiergate --help` and `tiergate tiers` take from the compiled package
// (dist/, built first from the current sources), against `node -e 0` on the same machine. Each
// figure is the median of interleaved runs; the target is within 3× of bare Node.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface StartupFigures {
  runs: number;
  nodeMs: number;
  helpMs: number;
  tiersMs: number;
  helpRatio: number;
  tiersRatio: number;
}

export const STARTUP_TARGET_RATIO = 3;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/bin/tiergate.js', import.meta.url));

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function measureStartup(runs: number, log: (line: string) => void): StartupFigures {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const samples = { node: [] as number[], help: [] as number[], tiers: [] as number[] };
  wallMs([BIN, '--help']); // warms the file cache; not counted
  for (let i = 0; i < runs; i++) {
    samples.node.push(wallMs(['-e', '0']));
    samples.help.push(wallMs([BIN, '--help']));
    samples.tiers.push(wallMs([BIN, 'tiers']));
  }
  const nodeMs = median(samples.node);
  const helpMs = median(samples.help);
  const tiersMs = median(samples.tiers);
  const figures = {
    runs,
    nodeMs,
    helpMs,
    tiersMs,
    helpRatio: helpMs / nodeMs,
    tiersRatio: tiersMs / nodeMs,
  };
  log(`start-up: ${startupLine(figures)}`);
  return figures;
}

const ms = (n: number): string => `${n.toFixed(0)} ms`;
const verdict = (ratio: number): string =>
  `${ratio.toFixed(2)}× (${ratio <= STARTUP_TARGET_RATIO ? 'met' : 'not met'}: ≤ ${STARTUP_TARGET_RATIO}×)`;

export function startupLine(f: StartupFigures): string {
  return `node -e 0 ${ms(f.nodeMs)}, --help ${ms(f.helpMs)} = ${verdict(f.helpRatio)}, tiers ${ms(f.tiersMs)} = ${verdict(f.tiersRatio)} (medians of ${f.runs})`;
}

export function startupMarkdown(f: StartupFigures): string {
  return [
    `| Start-up (median of ${f.runs}, dist/) | Time | Ratio to \`node -e 0\` (${ms(f.nodeMs)}) |`,
    '|---|---|---|',
    `| \`tiergate --help\` | ${ms(f.helpMs)} | ${verdict(f.helpRatio)} |`,
    `| \`tiergate tiers\` | ${ms(f.tiersMs)} | ${verdict(f.tiersRatio)} |`,
    '',
  ].join('\n');
}
