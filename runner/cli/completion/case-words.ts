// What bash's and zsh's scripts share: both walk the typed words with `case` patterns keyed by
// the command path ("/run", "/chaos/cleanup"), so both need the same lists of patterns.
import type { CompletionNode } from './tree.ts';

/** `/chaos/cleanup`: a node's path as the scripts' `$cmdpath` spells it. */
export const nodeKey = (node: CompletionNode): string => node.path.map((p) => `/${p}`).join('');

/** `"/run --engine"|"/run --tier"`: one case pattern of quoted words. */
export const patterns = (words: string[]): string => words.map((w) => `"${w}"`).join('|');

export interface CaseWords {
  /** Every subcommand's key, to follow the typed words down the tree. */
  commandPaths: string[];
  /** `<key> <flag>` of every flag that takes a value, whose value the walk skips. */
  valueFlags: string[];
  /** Flags with a fixed set of values: the pattern that matches them, and the values. */
  choiceFlags: { pattern: string; choices: readonly string[] }[];
}

export function caseWords(nodes: CompletionNode[]): CaseWords {
  const flagWords = (n: CompletionNode, names: string[]) =>
    names.map((name) => `${nodeKey(n)} ${name}`);
  return {
    commandPaths: nodes.filter((n) => n.path.length > 0).map(nodeKey),
    valueFlags: nodes.flatMap((n) =>
      n.flags.filter((f) => f.takesValue).flatMap((f) => flagWords(n, f.names)),
    ),
    choiceFlags: nodes.flatMap((n) =>
      n.flags
        .filter((f) => f.choices.length > 0)
        .map((f) => ({ pattern: patterns(flagWords(n, f.names)), choices: f.choices })),
    ),
  };
}
