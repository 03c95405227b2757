// `tiergate completion`: the bash script is valid bash and completes commands, flags and a
// flag's choices in a real bash; zsh and fish carry every command of the tree, from the
// program itself (a command added to main.ts appears without touching the generators).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';

/** The commands `tiergate --help` lists, read from its "Commands:" section. */
async function helpCommands(): Promise<string[]> {
  const help = (await tiergate(['--help'])).stdout;
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z0-9-]+)/gm)]
    .map((m) => m[1] ?? '')
    .filter((c) => c !== 'help');
}

describe('tiergate completion bash', () => {
  let script: string;
  beforeAll(async () => {
    const r = await tiergate(['completion', 'bash']);
    expect(r.code, r.stderr).toBe(0);
    script = join(mkdtempSync(join(tmpdir(), 'tiergate-completion-')), 'tiergate.bash');
    writeFileSync(script, r.stdout);
  });

  /** What bash offers for the words typed so far (the last one being completed). */
  const complete = (...words: string[]): string[] => {
    const line = ['tiergate', ...words].map((w) => `'${w}'`).join(' ');
    const out = execFileSync(
      'bash',
      [
        '--norc',
        '-c',
        `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _tiergate_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        script,
      ],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter(Boolean);
  };

  it('is valid bash (bash -n)', () => {
    expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  });

  it('completes a command, a flag and a choice', async () => {
    expect(complete('ru')).toEqual(['run']);
    expect(complete('run', '--summ')).toEqual(['--summary-json']);
    expect(complete('run', '--engine', 'k')).toEqual(['k6', 'k6-operator']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('')).toEqual(await helpCommands());
  });

  it('walks nested commands and skips the values of flags', () => {
    expect(complete('chaos', '')).toEqual(['cleanup']);
    expect(complete('chaos', 'cleanup', '--local')).toEqual(['--local-only']);
    // `plan` here is --roadmap's value, not the command (plan has no --summary-json).
    expect(complete('run', '--roadmap', 'plan', '--summ')).toEqual(['--summary-json']);
    expect(complete('--no-color', 'tiers', '--j')).toEqual(['--json']);
  });

  it('leaves a free value (a file) to bash', () => {
    expect(complete('run', '--config', '')).toEqual([]);
  });
});

describe('tiergate completion zsh and fish', () => {
  it('carry every command, with descriptions', async () => {
    const commands = await helpCommands();
    const zsh = await tiergate(['completion', 'zsh']);
    const fish = await tiergate(['completion', 'fish']);
    expect(zsh.code).toBe(0);
    expect(fish.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef tiergate\n/);
    for (const c of commands) {
      expect(zsh.stdout).toContain(`'${c}:`);
      expect(fish.stdout).toContain(`-n '__fish_use_subcommand' -a ${c} -d '`);
    }
    expect(fish.stdout).toContain(
      "-n '__fish_seen_subcommand_from run' -l engine -x -a 'local k6 k6-operator'",
    );
  });

  it('refuses another shell with exit 2, naming the choices', async () => {
    const r = await tiergate(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'tcsh' is invalid .* bash, zsh, fish/);
  });
});
