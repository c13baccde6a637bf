export { BUILTIN_MODULE_NAMES, DEFAULT_MODULES, NET_SNMP_DEFAULT_MODULES } from './builtin.js';
// The display entry's exports (formatter, OID input, hints), which need no Mib: see display.ts.
export * from './display.js';
export { Mib, type MibOptions } from './mib.js';
export {
  type Definition,
  type ImportGroup,
  MibParseError,
  type ModuleItem,
  type OidPart,
  type ParsedModule,
  type ParseResult,
  parseModules,
  type RawSyntax,
  type TypeAssignment,
} from './parser.js';
export { describeNode, listNodes, matchingNodes, type NodeListStyle, printTree, reportNodes } from './report.js';
export { defaultMibDirs, resolveMibDirs, resolveMibModules, scanEndLine } from './search-path.js';
export type * from './types.js';
