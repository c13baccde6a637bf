export { BUILTIN_MODULE_NAMES, DEFAULT_MODULES, NET_SNMP_DEFAULT_MODULES } from './builtin.js';
export {
  cFixed,
  type FormatOptions,
  formatValue,
  formatValueForNode,
  formatVarbind,
  hexString,
  timeticksText,
  varbindLine,
} from './format.js';
export { applyIntegerHint, applyOctetHint } from './hints.js';
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
export { describeNode, listNodes, type NodeListStyle, printTree } from './report.js';
export {
  defaultMibDirs,
  readSnmpConf,
  resolveMibDirs,
  resolveMibModules,
  type SnmpConfMibSettings,
} from './search-path.js';
export {
  decodeIndex,
  encodeIndex,
  formatOid,
  type IndexValue,
  MibLookupError,
  numericArcs,
  type OidFormat,
  type OidFormatOptions,
  type ParseOidOptions,
  parseOid,
} from './translate.js';
export type * from './types.js';
