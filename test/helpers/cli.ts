// Runs the real `tiergate` binary as a child process, as a user (or CI) would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tiergate.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tiergate(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: {
        ...process.env,
        NO_COLOR: '1',
        GITHUB_ACTIONS: '',
        GITHUB_STEP_SUMMARY: '',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `tiergate ${args.join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `tiergate chaos cleanup` against one kubeconfig and results folder, with more flags. */
export function chaosCleanup(
  kubeconfig: string,
  resultsDir: string,
  ...more: string[]
): Promise<CliResult> {
  return tiergate([
    'chaos',
    'cleanup',
    '--kubeconfig',
    kubeconfig,
    '--results-dir',
    resultsDir,
    ...more,
  ]);
}
