/**
 * `@snmpkit/mib/display`: value and OID display and OID input, without the MIB parser, the built-in modules or the
 * `Mib` class. Every function here takes `undefined` for the Mib and then prints and reads what Net-SNMP does
 * without MIB files. A program that may never load a module (the CLI with `MIBS=` empty) imports this entry, so
 * that its start-up does not load and compile the rest of the package.
 */
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
// snmp.conf: its lines, read once, and their MIB settings (what a program reads to decide whether to load modules at
// all: `mibs :` loads none); a client takes its own settings from the same lines.
export {
  mibSettingsOf,
  readSnmpConf,
  readSnmpConfLines,
  type SnmpConfLine,
  type SnmpConfMibSettings,
  snmpConfFiles,
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
