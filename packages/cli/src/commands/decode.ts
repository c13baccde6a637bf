/**
 * decode HEX|-: any SNMP message (v1, v2c, v3) pretty-printed, varbinds as Net-SNMP prints them. A v3 message with
 * privacy is decrypted (and its MAC checked) when the user's credentials are given with -u/-l/-a/-A/-x/-X.
 */
import { BerError, bytesToHex, decodeMessage, hexToBytes, type Pdu, type SnmpMessage } from '@snmpkit/ber';
import { ERROR_STATUS_NAMES } from '@snmpkit/session';
import { type CommonOptions, parseArgs, UsageError } from '../args.js';
import { CliExit, type Io } from '../io.js';
import { createPresenter, type Presenter } from '../presenter.js';

const GENERIC_TRAPS = [
  'coldStart',
  'warmStart',
  'linkDown',
  'linkUp',
  'authenticationFailure',
  'egpNeighborLoss',
  'enterpriseSpecific',
];

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv);
  if (positionals.length === 0) throw new UsageError('decode needs the message in hex, or - to read it from stdin');
  const text = positionals[0] === '-' ? await io.readStdin() : positionals.join('');
  let bytes: Uint8Array;
  try {
    // Net-SNMP -d dumps ("0016: 04 7F ...  text") are accepted: offsets and the text column are dropped.
    bytes = hexToBytes(stripDumpLayout(text));
  } catch (error) {
    io.err(`snmpkit decode: ${(error as Error).message}\n`);
    return 1;
  }
  let message: SnmpMessage;
  try {
    message = decodeMessage(bytes);
  } catch (error) {
    if (!(error instanceof BerError)) throw error;
    io.err(`snmpkit decode: not an SNMP message: ${error.message}\n`);
    return 1;
  }
  const presenter = await createPresenter(options);
  const out: string[] = [];
  if (message.version === 3) {
    out.push(`SNMPv3 message (${bytes.length} bytes)`);
    await describeV3(message, bytes, options, presenter, out, io);
  } else {
    out.push(`SNMPv${message.version === 0 ? '1' : '2c'} message (${bytes.length} bytes)`);
    out.push(`  community: ${JSON.stringify(message.community)}`);
    describePdu(message.pdu, presenter, out, '  ');
  }
  io.out(`${out.join('\n')}\n`);
  return 0;
}

function stripDumpLayout(text: string): string {
  const lines = text.split('\n');
  if (!lines.some((l) => /^\d{4}: /.test(l))) return text;
  return lines
    .filter((l) => /^\d{4}: /.test(l))
    .map((l) => l.slice(6, 6 + 52))
    .join(' ');
}

function describePdu(pdu: Pdu, presenter: Presenter, out: string[], indent: string): void {
  out.push(`${indent}${pdu.type}`);
  const inner = `${indent}  `;
  if (pdu.type === 'TrapV1') {
    out.push(`${inner}enterprise: ${presenter.oid(pdu.enterprise)}`);
    out.push(`${inner}agent-addr: ${pdu.agentAddress}`);
    out.push(`${inner}generic-trap: ${GENERIC_TRAPS[pdu.genericTrap] ?? 'unknown'} (${pdu.genericTrap})`);
    out.push(`${inner}specific-trap: ${pdu.specificTrap}`);
    out.push(`${inner}time-stamp: ${pdu.timestamp}`);
  } else if (pdu.type === 'GetBulkRequest') {
    out.push(`${inner}request-id: ${pdu.requestId}`);
    out.push(`${inner}non-repeaters: ${pdu.nonRepeaters}`);
    out.push(`${inner}max-repetitions: ${pdu.maxRepetitions}`);
  } else {
    out.push(`${inner}request-id: ${pdu.requestId}`);
    out.push(`${inner}error-status: ${ERROR_STATUS_NAMES[pdu.errorStatus] ?? 'unknown'} (${pdu.errorStatus})`);
    out.push(`${inner}error-index: ${pdu.errorIndex}`);
  }
  out.push(`${inner}varbinds (${pdu.varbinds.length}):`);
  for (const vb of pdu.varbinds) {
    // Multi-line values (long Hex-STRINGs) keep the indentation on every line.
    out.push(`${inner}  ${presenter.varbind(vb).replaceAll('\n', `\n${inner}  `)}`);
  }
}

function flagsText(flags: number): string {
  const names = [flags & 1 ? 'auth' : '', flags & 2 ? 'priv' : '', flags & 4 ? 'reportable' : ''].filter(Boolean);
  return `0x${flags.toString(16).padStart(2, '0')}${names.length ? ` (${names.join(', ')})` : ''}`;
}

async function describeV3(
  message: Extract<SnmpMessage, { version: 3 }>,
  bytes: Uint8Array,
  options: CommonOptions,
  presenter: Presenter,
  out: string[],
  io: Io,
): Promise<void> {
  const sp = message.securityParameters;
  out.push(`  msgID: ${message.msgId}`);
  out.push(`  msgMaxSize: ${message.msgMaxSize}`);
  out.push(`  msgFlags: ${flagsText(message.msgFlags)}`);
  out.push(`  msgSecurityModel: ${message.securityModel}${message.securityModel === 3 ? ' (USM)' : ''}`);
  out.push('  USM security parameters');
  out.push(`    engineID: ${bytesToHex(sp.engineId) || '(empty)'}`);
  out.push(`    engineBoots: ${sp.engineBoots}`);
  out.push(`    engineTime: ${sp.engineTime}`);
  out.push(`    userName: ${JSON.stringify(sp.userName)}`);
  out.push(`    authParameters: ${bytesToHex(sp.authParameters) || '(empty)'}`);
  out.push(`    privParameters: ${bytesToHex(sp.privParameters) || '(empty)'}`);
  let scoped = message.scopedPdu;
  const authenticated = (message.msgFlags & 1) !== 0;
  if (authenticated && options.user !== undefined) {
    const { decodeWithCredentials } = await import('./decode-v3.js');
    try {
      const plain = decodeWithCredentials(bytes, options);
      scoped = plain.scopedPdu;
      out.push(`  authentication: verified for user ${JSON.stringify(options.user)}`);
    } catch (error) {
      io.err(`snmpkit decode: cannot authenticate/decrypt with the given credentials: ${(error as Error).message}\n`);
      throw new CliExit(1);
    }
  }
  if (!scoped) {
    out.push(`  encryptedPDU: ${message.encryptedPdu?.length ?? 0} bytes (give -u, -a, -A, -x, -X to decrypt)`);
    return;
  }
  out.push('  scopedPDU');
  out.push(`    contextEngineID: ${bytesToHex(scoped.contextEngineId) || '(empty)'}`);
  out.push(`    contextName: ${JSON.stringify(scoped.contextName)}`);
  describePdu(scoped.pdu, presenter, out, '    ');
}
