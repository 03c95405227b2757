// `tiergate completion bash|zsh|fish`: a completion script for the shell, made from the
// program's own command tree.
import type { Command } from 'commander';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import type { COMPLETION_SHELLS } from './command-help.ts';
import { bashCompletion } from './completion/bash.ts';
import { fishCompletion } from './completion/fish.ts';
import { completionTree } from './completion/tree.ts';
import { zshCompletion } from './completion/zsh.ts';

type Shell = (typeof COMPLETION_SHELLS)[number];

const RENDERERS: Record<Shell, typeof bashCompletion> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

export function completionCommand(shell: Shell, program: Command, term: Terminal): number {
  term.out(RENDERERS[shell](completionTree(program)).trimEnd());
  return EXIT.pass;
}
