import type { ParsedModule } from './parser.js';
export const BUILTIN_MODULE_NAMES: ReadonlySet<string> = new Set();
export function builtinModule(_name: string): ParsedModule | undefined {
  return undefined;
}
