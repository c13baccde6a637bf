/**
 * Net-SNMP's client configuration (snmp.conf and snmp.local.conf, read by @snmpkit/mib's readSnmpConfLines): the MIB
 * settings and the session defaults the agent commands take when the command line does not give them (defVersion,
 * defCommunity, defSecurityName, timeout...), with the messages Net-SNMP prints about bad lines.
 */

import { mibSettingsOf, readSnmpConfLines, type SnmpConfLine, type SnmpConfMibSettings } from '@snmpkit/mib/display';
import {
  authProtocolNamed,
  isNetSnmpPrivProtocol,
  type PrivProtocol,
  privProtocolNamed,
  securityLevelNamed,
} from '@snmpkit/usm';
import type { CommonOptions } from './args.js';
import type { Io } from './io.js';
import type { BooleanSetting, OutputSettings } from './output-flags.js';

/** The session defaults of snmp.conf, each valid (a bad value is reported and left out, as Net-SNMP does). */
export interface ClientDefaults {
  version?: CommonOptions['version'];
  community?: string;
  securityName?: string;
  context?: string;
  /** noAuthNoPriv, authNoPriv or authPriv. */
  securityLevel?: string;
  /** As written (a name usm's authProtocolNamed knows: SHA-256, sha1, SHA-2...). */
  authType?: string;
  privType?: string;
  passphrase?: string;
  authPassphrase?: string;
  privPassphrase?: string;
  /** The port of an agent given without one. */
  defaultPort?: number;
  /** Seconds. */
  timeout?: number;
  retries?: number;
  /**
   * The display tokens (quickPrinting, oidOutputFormat...), in the -O settings' terms. Net-SNMP reads snmp.conf
   * after the command line, so each one given overrides what the -O letters chose (`quickPrinting no` undoes -Oq).
   */
  output?: Partial<OutputSettings>;
}

export interface SnmpConf {
  mib: SnmpConfMibSettings;
  client: ClientDefaults;
  /** What Net-SNMP prints on stderr while it reads the files ('' when nothing is wrong). */
  messages: string;
}

/**
 * The tokens Net-SNMP's client tools know in snmp.conf (snmpget -H), lower case: any other is reported as unknown.
 * snmpkit acts on few of them; the others are accepted without a word, as Net-SNMP accepts them.
 */
const KNOWN_TOKENS = new Set(
  [
    'extraX509SubDir x509CRLFile tlsAlgorithms localCert peerCert alias doDebugging debugTokens debugLogLevel',
    'logTimestamp logOption mibdirs mibs mibfile showMibErrors commentToEOL strictCommentTerm mibAllowUnderline',
    'mibWarningLevel mibReplaceWithLatest printNumericEnums printNumericOids escapeQuotes dontBreakdownOids',
    'quickPrinting numericTimeticks oidOutputFormat suffixPrinting extendedIndex printHexText printValueOnly',
    'dontPrintUnits hexOutputLength dumpPacket reverseEncodeBER defaultPort disableSNMPv3 disableSNMPv1',
    'disableSNMPv2c defCommunity noTokenWarnings noRangeCheck persistentDir tempFilePattern noDisplayHint 16bitIDs',
    'clientaddr clientaddrUsesPort serverSendBuf serverRecvBuf clientSendBuf clientRecvBuf sendMessageMaxSize',
    'noPersistentLoad noPersistentSave noContextEngineIDDiscovery timeout retries outputPrecision defDomain',
    'defTarget dontLoadHostConfig defSecurityModel tsmUseTransportPrefix defAuthType defPrivType defSecurityName',
    'defContext defPassphrase defAuthPassphrase defPrivPassphrase defAuthMasterKey defPrivMasterKey',
    'defAuthLocalizedKey defPrivLocalizedKey defVersion defSecurityLevel trustCert',
  ]
    .join(' ')
    .toLowerCase()
    .split(' '),
);

/**
 * The privacy protocol an -x value or defPrivType names, as Net-SNMP reads it (`AES-192`, `AES128`, the abbreviation
 * `AES-19`): @snmpkit/usm's reading, less 3DES-EDE, which Net-SNMP's tools refuse ("Invalid privacy protocol").
 */
export function netSnmpPrivProtocolOf(text: string): PrivProtocol | undefined {
  const protocol = privProtocolNamed(text, { abbreviations: true });
  return protocol !== undefined && isNetSnmpPrivProtocol(protocol) ? protocol : undefined;
}

/** A string token's value: a value that starts with `"` is the quoted word (`\"` inside is a quote), the rest ignored. */
function stringValue(value: string): string {
  if (!value.startsWith('"')) return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') break;
    if (c === '\\' && i + 1 < value.length) {
      out += value[++i];
      continue;
    }
    out += c;
  }
  return out;
}

/** An integer token's value: its first word in decimal, or undefined when that is not a number ("Bad integer value"). */
function integerValue(value: string): number | undefined {
  const word = value.split(/\s+/)[0]!;
  return /^[+-]?\d+$/.test(word) ? Number.parseInt(word, 10) : undefined;
}

/** The tokens whose value is any string, and where each goes. */
const STRING_TOKENS: Readonly<
  Record<string, 'community' | 'securityName' | 'context' | 'passphrase' | 'authPassphrase' | 'privPassphrase'>
> = {
  defcommunity: 'community',
  defsecurityname: 'securityName',
  defcontext: 'context',
  defpassphrase: 'passphrase',
  defauthpassphrase: 'authPassphrase',
  defprivpassphrase: 'privPassphrase',
};

/** The yes/no display tokens and the -O setting each one sets. */
const BOOLEAN_DISPLAY_TOKENS: Readonly<Record<string, BooleanSetting>> = {
  quickprinting: 'quick',
  printvalueonly: 'valueOnly',
  numerictimeticks: 'numericTimeticks',
  printnumericenums: 'numericEnums',
  escapequotes: 'escapeQuotes',
  dontbreakdownoids: 'numericIndex',
  extendedindex: 'extendedIndex',
  printhextext: 'hexText',
  dontprintunits: 'noUnits',
};

/**
 * oidOutputFormat's and suffixPrinting's numbers (Net-SNMP keeps both in one setting). 6 (print no OID at all) has
 * no counterpart in the formatter and 0 or another number leaves the format as it was.
 */
const OID_OUTPUT_FORMATS: readonly (OutputSettings['oidFormat'] | undefined)[] = [
  undefined,
  'suffix',
  'module',
  'full',
  'numeric',
  'ucd',
];

/** A yes/no token's value as Net-SNMP reads it: its first word, yes|no|true|false|0|1 in any case. */
function booleanValue(value: string): boolean | undefined {
  const word = value.split(/\s+/)[0]!.toLowerCase();
  if (word === 'yes' || word === 'true' || word === '1') return true;
  if (word === 'no' || word === 'false' || word === '0') return false;
  return undefined;
}

/** Takes a display token into `client.output`; returns Net-SNMP's error for a bad value, or 'other' for another token. */
function takeDisplayLine(client: ClientDefaults, token: string, value: string): string | 'other' | undefined {
  const setting = Object.hasOwn(BOOLEAN_DISPLAY_TOKENS, token) ? BOOLEAN_DISPLAY_TOKENS[token] : undefined;
  if (setting !== undefined || token === 'printnumericoids') {
    const on = booleanValue(value);
    if (on === undefined) return 'Should be yes|no|true|false|0|1';
    client.output ??= {};
    if (setting !== undefined) client.output[setting] = on;
    // printNumericOids no leaves the format to the other tokens and the -O letters.
    else if (on) client.output.oidFormat = 'numeric';
    return undefined;
  }
  if (token === 'oidoutputformat' || token === 'suffixprinting') {
    const n = integerValue(value);
    if (n === undefined) return 'Bad integer value';
    const format = OID_OUTPUT_FORMATS[n];
    if (format !== undefined) {
      client.output ??= {};
      client.output.oidFormat = format;
    }
    return undefined;
  }
  return 'other';
}

/**
 * Takes one line into `client`; returns Net-SNMP's error for a bad value, or 'unknown' for a token it does not
 * know, or undefined.
 */
function takeLine(client: ClientDefaults, token: string, value: string): string | 'unknown' | undefined {
  const stringKey = Object.hasOwn(STRING_TOKENS, token) ? STRING_TOKENS[token] : undefined;
  if (stringKey !== undefined) {
    client[stringKey] = stringValue(value);
    return undefined;
  }
  const display = takeDisplayLine(client, token, value);
  if (display !== 'other') return display;
  switch (token) {
    case 'defversion': {
      // Net-SNMP takes "2c" and "v2c", in any case.
      const version = value.toLowerCase().replace(/^v/, '');
      if (version !== '1' && version !== '2c' && version !== '3') return 'Unknown version specification';
      client.version = version;
      return undefined;
    }
    case 'defsecuritylevel': {
      const level = securityLevelNamed(value);
      if (level === undefined) return `Unknown security level: ${value}`;
      client.securityLevel = level;
      return undefined;
    }
    case 'defauthtype':
      if (authProtocolNamed(value, { abbreviations: true }) === undefined) return 'Unknown authentication type';
      client.authType = value;
      return undefined;
    case 'defprivtype':
      if (netSnmpPrivProtocolOf(value) === undefined) return 'Unknown privacy type';
      client.privType = value;
      return undefined;
    case 'defaultport':
    case 'timeout':
    case 'retries': {
      const n = integerValue(value);
      if (n === undefined) return 'Bad integer value';
      if (token === 'retries') {
        // A negative count leaves Net-SNMP's default (5); 0 means no retry.
        if (n >= 0) client.retries = n;
      } else if (token === 'timeout') {
        // Whole seconds; 0 or less leaves the default (1 s).
        if (n > 0) client.timeout = n;
      } else {
        // Net-SNMP keeps the port in 16 bits (-5 is 65531); 0 leaves the default.
        const port = ((n % 65536) + 65536) % 65536;
        if (port !== 0) client.defaultPort = port;
      }
      return undefined;
    }
    default:
      return KNOWN_TOKENS.has(token) ? undefined : 'unknown';
  }
}

/**
 * The client settings of `lines`, later lines overriding earlier ones, with the messages Net-SNMP prints: it reads
 * the files twice (MIB settings first, then the rest); a token without a value is an error in both passes, a bad
 * value an error of the second, an unknown token a warning (not counted). Each pass ends with its error count.
 */
export function clientSettingsOf(lines: readonly SnmpConfLine[]): { client: ClientDefaults; messages: string } {
  const client: ClientDefaults = {};
  let blanks = '';
  let blankCount = 0;
  let second = '';
  let errors = 0;
  for (const { file, line, token, value } of lines) {
    const where = `${file}: line ${line}: `;
    if (value === '') {
      const text = `${where}Error: Blank line following ${token} token.\n`;
      blanks += text;
      blankCount++;
      second += text;
      errors++;
      continue;
    }
    const problem = takeLine(client, token.toLowerCase(), value);
    if (problem === 'unknown') {
      second += `${where}Warning: Unknown token: ${token}.\n`;
    } else if (problem !== undefined) {
      second += `${where}Error: ${problem}\n`;
      errors++;
    }
  }
  const count = (n: number) => (n > 0 ? `net-snmp: ${n} error(s) in config file(s)\n` : '');
  return { client, messages: blanks + count(blankCount) + second + count(errors) };
}

/** Reads the configuration files once: the MIB settings and the client defaults from the same lines. */
export function readClientConf(env: Record<string, string | undefined> = process.env): SnmpConf {
  const lines = readSnmpConfLines(env);
  return { mib: mibSettingsOf(lines), ...clientSettingsOf(lines) };
}

/**
 * Reads snmp.conf (once for the command) and prints what Net-SNMP says about its bad lines, as Net-SNMP does after
 * reading its options and before anything else.
 */
export function loadSnmpConf(io: Io): SnmpConf {
  const conf = readClientConf();
  if (conf.messages !== '') io.err(conf.messages);
  return conf;
}

/**
 * Fills in what the command line left out from snmp.conf (the command line wins): the version unless -v was
 * given, the community, the v3 user and its protocols and pass phrases (defPassphrase for either one without its
 * own), the context, the timeout and retries; snmp.conf's display tokens override the -O letters, as in Net-SNMP.
 * The default port is the session's, not an option: see openSession.
 */
export function applyClientDefaults(options: CommonOptions, client: ClientDefaults): void {
  if (!options.versionGiven && client.version !== undefined) options.version = client.version;
  options.community ??= client.community;
  options.user ??= client.securityName;
  options.context ??= client.context;
  options.level ??= client.securityLevel;
  options.authProtocol ??= client.authType;
  options.privProtocol ??= client.privType;
  options.authPassword ??= client.authPassphrase ?? client.passphrase;
  options.privPassword ??= client.privPassphrase ?? client.passphrase;
  options.timeout ??= client.timeout;
  options.retries ??= client.retries;
  applyDisplayDefaults(options, client);
}

/** snmp.conf's display tokens over the -O letters (read after them, as Net-SNMP reads snmp.conf after its options). */
export function applyDisplayDefaults(options: CommonOptions, client: ClientDefaults): void {
  // In place: the settings object is the one the command's printer was given.
  Object.assign(options.output, client.output);
}
