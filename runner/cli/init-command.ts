// `tiergate init`: a starter config, a GitHub Actions workflow and a GitLab CI job in the
// project. It writes over no file unless told to (--force): finding one, it writes nothing.
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { FileWriteError } from '../../core/file-errors.ts';
import type { Terminal } from '../../core/terminal.ts';
import { GITHUB_WORKFLOW, GITLAB_CI, githubWorkflow, gitlabCi } from './init-ci.ts';
import { configFileName, STARTER_ROADMAP, STARTER_TIER, starterConfig } from './init-config.ts';
import { type InitFlags, initSettings } from './options/init-flags.ts';

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

function alreadyThere(paths: string[]): UsageError {
  return new UsageError(
    `${paths.join(', ')} already ${paths.length === 1 ? 'exists' : 'exist'}`,
    `move ${paths.length === 1 ? 'it' : 'them'} away, or pass --force to overwrite`,
  );
}

export async function initCommand(flags: InitFlags, term: Terminal): Promise<number> {
  const { format, force, dir } = initSettings(flags);
  const files = [
    { path: configFileName(format), content: starterConfig(format) },
    { path: GITHUB_WORKFLOW, content: githubWorkflow() },
    { path: GITLAB_CI, content: gitlabCi() },
  ];
  if (!force) {
    const found = await Promise.all(files.map((f) => exists(join(dir, f.path))));
    const taken = files.filter((_, i) => found[i]).map((f) => f.path);
    if (taken.length > 0) throw alreadyThere(taken);
  }
  for (const f of files) {
    const path = join(dir, f.path);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.content, { flag: force ? 'w' : 'wx' });
    } catch (err) {
      // Created meanwhile by someone else: still never written over.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyThere([f.path]);
      throw new FileWriteError(path, err);
    }
    term.out(`wrote ${f.path}`);
  }
  term.out(
    `next: npx tiergate tiers ${STARTER_ROADMAP}, then npx tiergate run --roadmap ${STARTER_ROADMAP} --tier ${STARTER_TIER} --target demo --duration 30s`,
  );
  return EXIT.pass;
}
