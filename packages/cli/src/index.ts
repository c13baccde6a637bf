/**
 * @snmpkit/cli as a library: run a command line in-process (with captured output), or read Net-SNMP's options
 * (the -O letters give @snmpkit/mib's display options, which print OIDs and values with or without MIB modules).
 */
export { type CommonOptions, type ParsedArgs, parseArgs, UsageError } from './args.js';
export { bufferIo, type Io, processIo } from './io.js';
export { main, VERSION } from './main.js';
export { applyOutputFlags, defaultOutputSettings, type OutputSettings } from './output-flags.js';
