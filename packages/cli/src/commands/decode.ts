/**
 * decode HEX|-: any SNMP message (v1, v2c, v3) pretty-printed, varbinds as Net-SNMP prints them. A v3 message with
 * privacy is decrypted (and its MAC checked) when the user's credentials are given with -u/-l/-a/-A/-x/-X. The
 * input is the message in hex, or a whole -d dump (snmpkit's or Net-SNMP's): then every message in it, in order,
 * each under its "Sending ..."/"Received ..." heading.
 */
import {
  BerError,
  bytesToHex,
  decodeMessage,
  hexToBytes,
  type Pdu,
  type SnmpMessage,
  SnmpValue,
  type V3Message,
  type VarBind,
} from '@snmpkit/ber';
import { formatValueForNode, varbindLine } from '@snmpkit/mib/display';
import { ERROR_STATUS_NAMES } from '@snmpkit/session';
import { varbindRecord } from '../agent.js';
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
  const decoder = new MessageDecoder(options, io);
  const blocks = dumpBlocks(text);
  // Plain hex, or one message's dump lines cut out without their heading: the message alone, as always.
  if (blocks === undefined || (blocks.length === 1 && blocks[0]?.heading === undefined)) {
    try {
      io.out(`${(await decoder.describe(blocks?.[0]?.hex ?? text)).join('\n')}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof BlockError)) throw error;
      io.err(`snmpkit decode: ${error.message}\n`);
      return 1;
    }
  }
  // A -d dump: every message in order, each under its heading, a blank line between them. A block that does not
  // decode is named on stderr and skipped; the exit code says that one did not.
  let failed = false;
  let printed = 0;
  for (const [i, block] of blocks.entries()) {
    const heading = block.heading ?? `Message ${i + 1}`;
    try {
      const lines = await decoder.describe(block.hex, block.declared);
      // --json: one object per line, nothing between them (the heading is in each object).
      if (options.json) io.out(`${JSON.stringify({ heading, ...JSON.parse(lines[0]!) })}\n`);
      else io.out(`${printed++ > 0 ? '\n' : ''}${heading}\n${lines.join('\n')}\n`);
    } catch (error) {
      if (!(error instanceof BlockError)) throw error;
      io.err(`snmpkit decode: block ${i + 1} of ${blocks.length} (${heading}): ${error.message}\n`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

/** One message of a -d dump: its heading line (when the dump has one) and its hex. */
interface DumpBlock {
  /** `Sending 43 bytes to UDP: [...]:161` or `Received 56 byte packet from UDP: [...]:161`, as in the dump. */
  heading?: string;
  /** The byte count the heading gives. */
  declared?: number;
  /** The hex columns of its xdump lines (offsets and text column dropped), space separated. */
  hex: string;
}

/** The heading of each message in Net-SNMP's -d dumps (snmp_api.c), which dump.ts writes too. */
const HEADING = /^(?:Sending (\d+) bytes to|Received (\d+) byte packet from) \S/;
/** An xdump line: `0016: 04 7F E2 6A  F8 02 01 00  ...    ...j....` (decimal offset, then 52 columns of hex). */
const DUMP_LINE = /^(\d{4,}): /;
const HEX_COLUMNS = 16 * 3 + 4;

/**
 * The messages of a Net-SNMP -d dump (from snmpkit, or from snmpget, snmpwalk, snmptrap, snmptrapd...), in order;
 * undefined when the text has no dump lines (plain hex). Other lines (the command's own output, with 2>&1) are
 * skipped. Lines before any heading make messages of their own, each starting at offset 0000.
 */
function dumpBlocks(text: string): DumpBlock[] | undefined {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (!lines.some((line) => DUMP_LINE.test(line))) return undefined;
  const blocks: { heading?: string; declared?: number; hex: string[] }[] = [];
  let current: (typeof blocks)[number] | undefined;
  for (const line of lines) {
    const heading = HEADING.exec(line);
    if (heading) {
      current = { heading: line.trim(), declared: Number(heading[1] ?? heading[2]), hex: [] };
      blocks.push(current);
      continue;
    }
    const dumpLine = DUMP_LINE.exec(line);
    if (!dumpLine) continue;
    if (!current || (current.heading === undefined && current.hex.length > 0 && Number(dumpLine[1]) === 0)) {
      current = { hex: [] };
      blocks.push(current);
    }
    current.hex.push(line.slice(dumpLine[0].length, dumpLine[0].length + HEX_COLUMNS));
  }
  return blocks.map((block) => ({ ...block, hex: block.hex.join(' ') }));
}

/** Why one message could not be shown; its text follows "snmpkit decode: ". */
class BlockError extends Error {
  override readonly name = 'BlockError';
}

/** Decodes and describes messages, loading the MIB modules and the v3 credentials once, when first needed. */
class MessageDecoder {
  #presenter: Promise<Presenter> | undefined;
  #credentials: ((bytes: Uint8Array) => V3Message) | undefined;

  constructor(
    private readonly options: CommonOptions,
    private readonly io: Io,
  ) {}

  /** The lines describing the message `hex` holds; throws BlockError. `declared`: the size its dump heading gives. */
  async describe(hex: string, declared?: number): Promise<string[]> {
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(hex);
    } catch (error) {
      throw new BlockError((error as Error).message);
    }
    if (declared !== undefined && declared !== bytes.length) {
      throw new BlockError(`the dump holds ${bytes.length} bytes, its heading says ${declared}`);
    }
    let message: SnmpMessage;
    try {
      message = decodeMessage(bytes);
    } catch (error) {
      if (!(error instanceof BerError)) throw error;
      throw new BlockError(`not an SNMP message: ${error.message}`);
    }
    if (this.options.json) return [JSON.stringify(await this.#json(message, bytes))];
    const out: string[] = [];
    if (message.version === 3) {
      out.push(`SNMPv3 message (${bytes.length} bytes)`);
      await this.#describeV3(message, bytes, out);
    } else {
      out.push(`SNMPv${message.version === 0 ? '1' : '2c'} message (${bytes.length} bytes)`);
      out.push(`  community: ${JSON.stringify(message.community)}`);
      describePdu(message.pdu, await this.#presenterOnce(), out, '  ');
    }
    return out;
  }

  /** --json: the message as one JSON object, its varbinds as the agent commands' --json prints them. */
  async #json(message: SnmpMessage, bytes: Uint8Array): Promise<Record<string, unknown>> {
    const presenter = await this.#presenterOnce();
    if (message.version !== 3) {
      return {
        version: message.version === 0 ? '1' : '2c',
        bytes: bytes.length,
        community: message.community,
        pdu: pduRecord(message.pdu, presenter),
      };
    }
    const sp = message.securityParameters;
    const record: Record<string, unknown> = {
      version: '3',
      bytes: bytes.length,
      msgId: message.msgId,
      msgMaxSize: message.msgMaxSize,
      msgFlags: flagsText(message.msgFlags),
      msgSecurityModel: message.securityModel,
      usm: {
        engineId: bytesToHex(sp.engineId),
        engineBoots: sp.engineBoots,
        engineTime: sp.engineTime,
        userName: sp.userName,
        authParameters: bytesToHex(sp.authParameters),
        privParameters: bytesToHex(sp.privParameters),
      },
    };
    let scoped = message.scopedPdu;
    if ((message.msgFlags & 1) !== 0 && this.options.user !== undefined) {
      scoped = (await this.#decrypt(bytes)).scopedPdu;
      record.authenticated = true;
    }
    if (!scoped) {
      record.encryptedPdu = message.encryptedPdu?.length ?? 0;
      return record;
    }
    record.contextEngineId = bytesToHex(scoped.contextEngineId);
    record.contextName = scoped.contextName;
    record.pdu = pduRecord(scoped.pdu, presenter);
    return record;
  }

  #presenterOnce(): Promise<Presenter> {
    this.#presenter ??= createPresenter(this.options);
    return this.#presenter;
  }

  /** Checks the MAC and decrypts; credentials that make no key end the command (they would fail every message). */
  async #decrypt(bytes: Uint8Array): Promise<V3Message> {
    if (!this.#credentials) {
      const { credentialDecoder } = await import('./decode-v3.js');
      try {
        this.#credentials = credentialDecoder(this.options);
      } catch (error) {
        this.io.err(
          `snmpkit decode: cannot authenticate/decrypt with the given credentials: ${(error as Error).message}\n`,
        );
        throw new CliExit(1);
      }
    }
    try {
      return this.#credentials(bytes);
    } catch (error) {
      throw new BlockError(`cannot authenticate/decrypt with the given credentials: ${(error as Error).message}`);
    }
  }

  async #describeV3(message: V3Message, bytes: Uint8Array, out: string[]): Promise<void> {
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
    if (authenticated && this.options.user !== undefined) {
      scoped = (await this.#decrypt(bytes)).scopedPdu;
      out.push(`  authentication: verified for user ${JSON.stringify(this.options.user)}`);
    }
    if (!scoped) {
      out.push(`  encryptedPDU: ${message.encryptedPdu?.length ?? 0} bytes (give -u, -a, -A, -x, -X to decrypt)`);
      return;
    }
    out.push('  scopedPDU');
    out.push(`    contextEngineID: ${bytesToHex(scoped.contextEngineId) || '(empty)'}`);
    out.push(`    contextName: ${JSON.stringify(scoped.contextName)}`);
    describePdu(scoped.pdu, await this.#presenterOnce(), out, '    ');
  }
}

/** A PDU for --json: its fields by their wire names, its varbinds as varbindRecord gives them. */
function pduRecord(pdu: Pdu, presenter: Presenter): Record<string, unknown> {
  const { varbinds, ...fields } = pdu;
  return { ...fields, varbinds: varbinds.map((vb) => varbindRecord(vb, presenter)) };
}

function describePdu(pdu: Pdu, presenter: Presenter, out: string[], indent: string): void {
  out.push(`${indent}${pdu.type}`);
  const inner = `${indent}  `;
  if (pdu.type === 'TrapV1') {
    out.push(`${inner}enterprise: ${presenter.oid(pdu.enterprise)}`);
    out.push(`${inner}agent-addr: ${pdu.agentAddress}`);
    out.push(`${inner}generic-trap: ${GENERIC_TRAPS[pdu.genericTrap] ?? 'unknown'} (${pdu.genericTrap})`);
    out.push(`${inner}specific-trap: ${pdu.specificTrap}`);
    // sysUpTime when the trap was sent: a TimeTicks value, printed as one (-Ot: the number alone).
    out.push(
      `${inner}time-stamp: ${formatValueForNode(undefined, undefined, SnmpValue.timeTicks(pdu.timestamp), presenter.settings)}`,
    );
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
  const request = pdu.type === 'GetRequest' || pdu.type === 'GetNextRequest' || pdu.type === 'GetBulkRequest';
  for (const vb of pdu.varbinds) {
    const line = request && vb.value.type === 'Null' ? placeholderLine(vb, presenter) : presenter.varbind(vb);
    // Multi-line values (long Hex-STRINGs) keep the indentation on every line.
    out.push(`${inner}  ${line.replaceAll('\n', `\n${inner}  `)}`);
  }
}

/**
 * A request's NULL value is a placeholder, not the object's value: it prints as Net-SNMP prints a NULL (`NAME =
 * NULL`), not as a value of the wrong type for the object (`Wrong Type (should be OCTET STRING): NULL`).
 */
function placeholderLine(vb: VarBind, presenter: Presenter): string {
  const value = formatValueForNode(undefined, undefined, vb.value, presenter.settings);
  return varbindLine(presenter.settings.valueOnly ? '' : presenter.oid(vb.oid), value, presenter.settings);
}

function flagsText(flags: number): string {
  const names = [flags & 1 ? 'auth' : '', flags & 2 ? 'priv' : '', flags & 4 ? 'reportable' : ''].filter(Boolean);
  return `0x${flags.toString(16).padStart(2, '0')}${names.length ? ` (${names.join(', ')})` : ''}`;
}
