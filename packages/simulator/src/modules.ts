/**
 * snmpsim's variation modules that the simulator does not implement, and why: a data file naming one is refused with
 * this reason (not as an unknown tag or module), so that the user knows the module exists and is left out on purpose.
 */
export const UNSUPPORTED_MODULES: Readonly<Record<string, string>> = {
  sql: 'it serves values from an SQL database; export the table to .snmprec instead',
  redis: 'it serves values from a Redis database; export the keys to .snmprec instead',
};

/** Why a record naming `module` cannot be served, or undefined when the module is not one of the unsupported ones. */
export function unsupportedModuleProblem(module: string): string | undefined {
  const why = UNSUPPORTED_MODULES[module];
  return why === undefined ? undefined : `snmpsim's variation module "${module}" is not supported: ${why}`;
}

/** Why an `OID|:module|args` record (a module serving a whole subtree) cannot be served. */
export function subtreeModuleProblem(module: string): string {
  return (
    unsupportedModuleProblem(module) ??
    `a variation module serving a subtree ("|:${module}|") is not supported (only "multiplex" and the database ` +
      'modules use this form)'
  );
}
