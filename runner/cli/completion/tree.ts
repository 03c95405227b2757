// What a shell completion needs, read from commander's own command tree (so it never goes
// stale): every command path with its subcommands, flags (which take a value, which choices)
// and the choices of its first argument.
import type { Command } from 'commander';

export interface CompletionFlag {
  /** `-V` and `--version`, or `--roadmap` alone. */
  names: string[];
  description: string;
  takesValue: boolean;
  /** The values a flag with `.choices()` takes; empty for a free value (files, ids, …). */
  choices: readonly string[];
}

export interface CompletionNode {
  /** `[]` for the program, `['chaos', 'cleanup']` for `tiergate chaos cleanup`. */
  path: string[];
  commands: { name: string; description: string }[];
  flags: CompletionFlag[];
  /** Choices of the command's first argument (`completion <shell>`); empty when free. */
  argumentChoices: readonly string[];
}

function flagOf(o: Command['options'][number]): CompletionFlag {
  return {
    names: [o.short, o.long].filter((n): n is string => n !== undefined),
    description: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices ?? [],
  };
}

/** The program first, then every command below it, depth first. */
export function completionTree(program: Command): CompletionNode[] {
  const help = program.createHelp();
  // Program options commander also takes after a subcommand (`--no-color`), but not -V/-h.
  const global = program.options.filter((o) => o.long !== '--version' && !o.hidden).map(flagOf);
  const nodes: CompletionNode[] = [];
  const visit = (cmd: Command, path: string[]): void => {
    const commands = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
    nodes.push({
      path,
      commands: commands.map((c) => ({ name: c.name(), description: c.description() })),
      flags: [...help.visibleOptions(cmd).map(flagOf), ...(path.length > 0 ? global : [])],
      argumentChoices: cmd.registeredArguments[0]?.argChoices ?? [],
    });
    for (const c of commands) visit(c, [...path, c.name()]);
  };
  visit(program, []);
  return nodes;
}
