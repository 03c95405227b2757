// One `k6 run` child process: started paused with its REST API on a private port, its JSON
// sample stream on stdout (read line by line as it comes), its logs on stderr (only the last
// lines kept, for error messages).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pausedAndReady, resume } from './rest.ts';

export interface K6ProcessSpec {
  binary: string;
  script: string;
  /** This process's segment of the load: index of count. */
  index: number;
  count: number;
  /** 127.0.0.1:<port> for k6's REST API. */
  address: string;
  /** Where the script's handleSummary writes k6's threshold results. */
  summaryFile: string;
  extraArgs: string[];
  /** More environment variables for k6 (e.g. an output's settings). */
  extraEnv?: Record<string, string>;
  /** Every stdout line (k6's JSON output), as it arrives. */
  onLine: (line: string) => void;
}

export interface K6Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** System tags the engine reads; fewer tags make shorter lines to parse. */
const SYSTEM_TAGS = 'scenario,name,status,expected_response,error_code';
const STDERR_LINES_KEPT = 40;

/** `--execution-segment i/N:(i+1)/N` of the sequence `0,1/N,…,1`. */
export function segmentArgs(index: number, count: number): string[] {
  if (count <= 1) return [];
  const at = (k: number) => (k === 0 ? '0' : k === count ? '1' : `${k}/${count}`);
  const sequence = Array.from({ length: count + 1 }, (_, k) => at(k)).join(',');
  return [
    '--execution-segment',
    `${at(index)}:${at(index + 1)}`,
    '--execution-segment-sequence',
    sequence,
  ];
}

export function k6RunArgs(spec: K6ProcessSpec): string[] {
  return [
    'run',
    '--quiet',
    '--paused',
    '--address',
    spec.address,
    '--out',
    'json=-',
    '--system-tags',
    SYSTEM_TAGS,
    '-e',
    `TIERGATE_SUMMARY=${spec.summaryFile}`,
    ...segmentArgs(spec.index, spec.count),
    ...spec.extraArgs,
    spec.script,
  ];
}

/** The message of k6's last error log lines (logfmt `msg="…"`), else its last lines. */
function errorText(lines: readonly string[]): string {
  const messages = lines
    .filter((l) => l.includes('level=error') || l.includes('level=fatal'))
    .map((l) => /msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1] ?? l)
    .map((m) => m.replace(/\\n/g, '\n').replace(/\\t/g, ' ').replace(/\\"/g, '"'))
    .map((m) => m.split('\n')[0]?.trim() ?? '');
  const picked = messages.length > 0 ? messages.slice(-3) : lines.slice(-3);
  return picked.join('; ') || 'no output';
}

export class K6Process {
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  /** Settles when the process has exited and its stdout has been read to the end. */
  readonly closed: Promise<K6Exit>;
  private exit: K6Exit | undefined;
  /** Set when the engine interrupted or killed it (exit 105 or a signal is then expected). */
  stoppedByUs = false;

  constructor(readonly spec: K6ProcessSpec) {
    this.child = spawn(spec.binary, k6RunArgs(spec), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.extraEnv, K6_NO_USAGE_REPORT: 'true' },
    });
    const out = createInterface({ input: this.child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    out.on('line', spec.onLine);
    const err = createInterface({ input: this.child.stderr!, crlfDelay: Number.POSITIVE_INFINITY });
    err.on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES_KEPT) this.stderr.shift();
    });
    const outClosed = new Promise<void>((resolve) => out.once('close', resolve));
    const exited = new Promise<K6Exit>((resolve) => {
      this.child.once('error', (e) => {
        this.stderr.push(`level=error msg="cannot start k6: ${e.message}"`);
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
    this.closed = Promise.all([exited, outClosed]).then(([e]) => {
      this.exit = e;
      return e;
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** k6's last error messages, for the run error. */
  errorText(): string {
    return errorText(this.stderr);
  }

  /** Waits until k6 is initialised and paused, has exited (see `closed`), or the time is up. */
  async ready(timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) return 'exited';
      if (await pausedAndReady(this.spec.address)) return 'ready';
      await new Promise((r) => setTimeout(r, 50));
    }
    return 'timeout';
  }

  resume(): Promise<void> {
    return resume(this.spec.address);
  }

  /** SIGINT: k6 stops its scenarios, flushes its outputs, runs handleSummary, exits 105. */
  interrupt(): void {
    this.stoppedByUs = true;
    if (this.running) this.child.kill('SIGINT');
  }

  kill(): void {
    this.stoppedByUs = true;
    if (this.running) this.child.kill('SIGKILL');
  }
}
