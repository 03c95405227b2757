// 3–5. The measurements that need no target: memory while recording, k6 JSON ingest, gate
// evaluation of a long run. Each in its own pinned child process.
import type { GateResult, GateSpec } from '../children/gate-eval.ts';
import type { IngestResult, IngestSpec } from '../children/ingest.ts';
import type { MemoryResult, MemorySpec } from '../children/memory.ts';
import type { BenchMode } from '../mode.ts';
import { runNodeChild } from '../peers/node-child.ts';

export interface OfflineFigures {
  memory: MemoryResult;
  /** The same samples in a tenth of the seconds (full mode only). */
  memoryDense: MemoryResult | undefined;
  ingest: IngestResult;
  gate: GateResult;
}

const LIMIT_MS = 300_000;

export async function measureOffline(
  mode: BenchMode,
  log: (line: string) => void,
): Promise<OfflineFigures> {
  const memorySpec: MemorySpec = mode.memory;
  const memory = (await runNodeChild<MemoryResult>('memory', memorySpec, LIMIT_MS, ['--expose-gc']))
    .result;
  log(
    `memory: ${memory.checkpoints.map((c) => `${(c.samples / 1e6).toFixed(0)} M → ${c.rssMb.toFixed(0)} MB`).join(', ')}`,
  );
  let memoryDense: MemoryResult | undefined;
  if (mode.memoryDense) {
    const dense: MemorySpec = { ...memorySpec, seconds: Math.round(memorySpec.seconds / 10) };
    memoryDense = (await runNodeChild<MemoryResult>('memory', dense, LIMIT_MS, ['--expose-gc']))
      .result;
    log(
      `memory, ${dense.seconds} s: ${memoryDense.checkpoints.map((c) => `${(c.samples / 1e6).toFixed(0)} M → ${c.rssMb.toFixed(0)} MB`).join(', ')}`,
    );
  }
  const ingestSpec: IngestSpec = mode.ingest;
  const ingest = (await runNodeChild<IngestResult>('ingest', ingestSpec, LIMIT_MS)).result;
  log(
    `k6 ingest: ${Math.round(ingest.parseLinesPerSec).toLocaleString('en-US')} lines/s ` +
      `(${Math.round(ingest.streamLinesPerSec).toLocaleString('en-US')} with readline)`,
  );
  const gateSpec: GateSpec = mode.gate;
  const gate = (await runNodeChild<GateResult>('gate-eval', gateSpec, LIMIT_MS)).result;
  log(
    `gate evaluation, ${gate.seconds} s × ${gate.requests} requests: ${gate.totalMs.toFixed(0)} ms`,
  );
  return { memory, memoryDense, ingest, gate };
}
