// A real Prometheus (Debian's) on 127.0.0.1 for the tests: remote-write receiver and native
// histograms on, storage in a temporary folder, and no scrape target unless one is given.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../runner/engines/k6/rest.ts';
import { startDaemon } from './daemon.ts';

export interface TestPrometheus {
  /** Base URL, e.g. http://127.0.0.1:9123 (remote write: `${url}/api/v1/write`). */
  url: string;
  stop(): Promise<void>;
}

/** `scrape`: a `host:port` Prometheus scrapes at /metrics once a second. */
export async function startPrometheus(options: { scrape?: string } = {}): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'tiergate-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  const scrape = options.scrape
    ? `scrape_configs:\n  - job_name: tiergate\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: ['${options.scrape}']\n`
    : '';
  await writeFile(config, `global:\n  evaluation_interval: 1m\n${scrape}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = startDaemon('prometheus', 'prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--enable-feature=native-histograms',
    '--log.level=warn',
  ]);
  try {
    await daemon.waitReady(async () => {
      const res = await fetch(`${url}/-/ready`);
      await res.text();
      return res.ok;
    }, 30_000);
  } catch (err) {
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    async stop() {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
