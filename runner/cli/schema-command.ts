// `tiergate schema <config|summary|run>`: the JSON Schema (draft 2020-12) of a config file, of
// `--summary-json` or of run.json, generated from the zod schemas that check them, on stdout.
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { runJsonSchema } from '../../reports/store/run-file-schema.ts';
import { summaryJsonSchema } from '../../reports/summary-schema.ts';
import { configJsonSchema } from '../config/json-schema.ts';
import { SCHEMA_KINDS, type SchemaName } from './command-help.ts';

const SCHEMAS = {
  config: configJsonSchema,
  summary: summaryJsonSchema,
  run: runJsonSchema,
} satisfies Record<SchemaName, () => Record<string, unknown>>;

function isKind(kind: string): kind is keyof typeof SCHEMAS {
  return Object.hasOwn(SCHEMAS, kind);
}

export function schemaCommand(kind: string, term: Terminal): number {
  if (!isKind(kind)) {
    throw new UsageError(
      `schema "${kind}" is not one tiergate has`,
      `use tiergate schema <${SCHEMA_KINDS}>`,
    );
  }
  term.out(JSON.stringify(SCHEMAS[kind](), null, 2));
  return EXIT.pass;
}
