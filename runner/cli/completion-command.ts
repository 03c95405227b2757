// `tiergate completion bash|zsh|fish`: a completion script for the shell, made from the
// program's own command tree.
import type { Command } from 'commander';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { bashCompletion } from './completion/bash.ts';
import { fishCompletion } from './completion/fish.ts';
import { completionTree } from './completion/tree.ts';
import { zshCompletion } from './completion/zsh.ts';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof COMPLETION_SHELLS)[number];

const RENDERERS: Record<Shell, typeof bashCompletion> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

export const COMPLETION_HELP = `
Examples:
  source <(tiergate completion bash)                 # this bash session
  tiergate completion bash > ~/.local/share/bash-completion/completions/tiergate
  tiergate completion zsh > "\${fpath[1]}/_tiergate"  # zsh, with compinit
  tiergate completion fish > ~/.config/fish/completions/tiergate.fish`;

export function completionCommand(shell: Shell, program: Command, term: Terminal): number {
  term.out(RENDERERS[shell](completionTree(program)).trimEnd());
  return EXIT.pass;
}
