// Reading YAML and JSON config text: syntax errors become ConfigErrors with line and column,
// and a locator maps a field path back to where it is written, for the schema's messages.
import { isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { ConfigError, type ConfigIssue } from '../../core/errors.ts';
import { formatIssue, type Locate } from './issues.ts';

export interface ParsedText {
  value: unknown;
  locate: Locate;
}

function syntaxError(file: string, issue: ConfigIssue): ConfigError {
  return new ConfigError(formatIssue(file, issue), file, [issue]);
}

function position(lines: LineCounter, node: Node | undefined) {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** The node a path names (the key itself for a map entry), or its nearest written parent. */
function locator(doc: ReturnType<typeof parseDocument>, lines: LineCounter): Locate {
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1) as unknown[], true);
      const key = path[n - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair !== undefined && isNode(pair.key)) return position(lines, pair.key);
      } else if (isSeq(parent) && typeof key === 'number') {
        const item = parent.items[key];
        if (isNode(item)) return position(lines, item);
      }
    }
    return isNode(doc.contents) ? position(lines, doc.contents) : undefined;
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Keys YAML tells apart but an object cannot (`1` and `"1"`, `true` and `"true"`): the parser
 * accepts both and the second would silently replace the first.
 */
function refuseCollidingKeys(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  file: string,
): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const at = position(lines, pair.key);
          throw syntaxError(file, {
            path: '',
            problem: `has the key ${JSON.stringify(key)} twice in one mapping (the second would replace the first)`,
            allowed: 'remove one of them',
            ...at,
          });
        }
        seen.add(key);
      }
    },
  });
}

export function parseYamlText(text: string, file: string): ParsedText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const at = error.linePos?.[0];
    throw syntaxError(file, {
      path: '',
      problem: `is not valid YAML: ${firstLine(error.message)}`,
      allowed: at ? `fix the syntax at line ${at.line}, column ${at.col}` : 'fix the syntax',
      ...(at ? { line: at.line, column: at.col } : {}),
    });
  }
  refuseCollidingKeys(doc, lines, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw syntaxError(file, {
      path: '',
      problem: `cannot be read: ${firstLine(err instanceof Error ? err.message : String(err))}`,
      allowed: 'simplify its anchors and aliases',
    });
  }
  // An empty file holds no roadmaps, which is a valid (if idle) config.
  return { value: value ?? {}, locate: locator(doc, lines) };
}

/** Offset of the first comma that closes nothing but a list or object (`[1, 2,]`). */
function trailingComma(text: string): number | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' && /^\s*[\]}]/.test(text.slice(i + 1))) return i;
  }
  return undefined;
}

function jsonPosition(text: string, message: string) {
  const offset = /at position (\d+)/.exec(message)?.[1] ?? trailingComma(text);
  if (offset !== undefined) {
    const before = text.slice(0, Number(offset)).split('\n');
    return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
  }
  // Node 20 often leaves the position out: the YAML parser (JSON is YAML) usually knows it.
  const at = parseDocument(text, { prettyErrors: true }).errors[0]?.linePos?.[0];
  return at ? { line: at.line, column: at.col } : undefined;
}

export function parseJsonText(text: string, file: string): ParsedText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = jsonPosition(text, message);
    const reason = message
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    throw syntaxError(file, {
      path: '',
      problem: `is not valid JSON: ${reason}`,
      allowed: at ? `fix the syntax at line ${at.line}, column ${at.column}` : 'fix the syntax',
      ...at,
    });
  }
  // JSON.parse keeps the last of two equal keys; the YAML reading of the same text names them.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const duplicate = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (duplicate !== undefined) {
    const at = duplicate.linePos?.[0];
    throw syntaxError(file, {
      path: '',
      problem: 'has a key twice in one object (JSON would keep only the last)',
      allowed: at
        ? `remove one of them; the second is at line ${at.line}, column ${at.col}`
        : 'remove one of them',
      ...(at ? { line: at.line, column: at.col } : {}),
    });
  }
  return { value, locate: locator(doc, lines) };
}
