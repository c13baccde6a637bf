/**
 * @snmpkit/cli as a library: run a command line in-process (with captured output), or print values and OIDs the
 * way Net-SNMP prints them without MIB modules.
 */
export { type CommonOptions, type ParsedArgs, parseArgs, UsageError } from './args.js';
export {
  applyOutputFlags,
  defaultOutputSettings,
  formatOid,
  formatValue,
  formatVarbind,
  type OutputSettings,
} from './format.js';
export { bufferIo, type Io, processIo } from './io.js';
export { main, VERSION } from './main.js';
