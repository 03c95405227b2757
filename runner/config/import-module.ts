// A config written as a module (TS, MTS, CTS, JS, MJS, CJS) loaded through jiti, whatever the
// user's project is: jiti transpiles TypeScript itself and reconciles ESM with CommonJS, so a
// `tiergate.config.ts` in a project without `"type": "module"` loads as well as in one with it.
// jiti is imported only when a module config is actually read (it is not small).

/** The module's exports, `default` included; CommonJS `module.exports` comes as `default`. */
export async function importModule(file: string): Promise<{ default?: unknown }> {
  const { createJiti } = await import('jiti');
  // No cache on disk: a config is read once per command, and the user's folder stays as it was.
  // No default-export interop: a module without one must be reported as such.
  const jiti = createJiti(import.meta.url, {
    fsCache: false,
    moduleCache: false,
    interopDefault: false,
  });
  return jiti.import<{ default?: unknown }>(file);
}
