// The JSON Schema of a config file, for editors (YAML language server, VS Code's json.schemas).
// It describes what may be written (the input side), friendly forms included.
import { z } from 'zod';
import { UserConfigSchema } from './schema.ts';

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(UserConfigSchema, { io: 'input', reused: 'ref' }),
    title: 'tiergate configuration',
    description: 'Roadmaps of tiers, each with its load, ramp stages, journey and objectives.',
  };
}
