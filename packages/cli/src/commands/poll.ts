/**
 * poll: many agents at once, from a targets file (one agent per line, with Net-SNMP options), over the session's
 * Poller: a GET of the OIDs given, walks (--walk) and tables (--table) of every target, one JSON line per target
 * (--json) or Net-SNMP's lines prefixed with the target, progress on stderr. The work is @snmpkit/session's.
 */
import { readFile } from 'node:fs/promises';
import { compareOids, type VarBind } from '@snmpkit/ber';
import { Poller, type PollResult, type PollTarget, type SessionOptions } from '@snmpkit/session';
import {
  type AgentCommand,
  agentCommand,
  parseOidArguments,
  prepareAgentCommand,
  sessionOptionsOf,
  varbindRecord,
} from '../agent.js';
import { type CommonOptions, parseArgs, UsageError } from '../args.js';
import { CliExit, type Io } from '../io.js';
import { applyClientDefaults } from '../snmp-conf.js';

/** The long options poll reads (each takes a value). */
export const POLL_OPTIONS = ['targets', 'walk', 'table', 'max-in-flight', 'per-target', 'rate'];

/** A target of the file: where it was written, and what it came to. */
interface FileTarget extends PollTarget {
  tag: { line: number; agent: string };
}

/**
 * Splits a targets-file line into words as a shell would for simple cases: whitespace separates, single and double
 * quotes group (a v3 pass phrase with spaces), a backslash escapes the next character outside single quotes.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]!;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new UsageError(`unterminated ${quote === '"' ? 'double' : 'single'} quote`, false);
  if (word !== undefined) words.push(word);
  return words;
}

/** CommonOptions fields that a line sets for itself when given; the others are the command line's. */
const LINE_FIELDS = [
  'community',
  'user',
  'level',
  'authProtocol',
  'authPassword',
  'privProtocol',
  'privPassword',
  'securityEngineId',
  'contextEngineId',
  'context',
  'retries',
  'timeout',
] as const satisfies readonly (keyof CommonOptions)[];

function lineOptions(global: CommonOptions, line: CommonOptions): CommonOptions {
  const merged: CommonOptions = { ...global };
  for (const field of LINE_FIELDS) {
    if (line[field] !== undefined) (merged as unknown as Record<string, unknown>)[field] = line[field];
  }
  if (line.versionGiven) {
    merged.version = line.version;
    merged.versionGiven = true;
  }
  return merged;
}

function count(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min) {
    throw new UsageError(`--${name} needs a number >= ${min}, got "${text}"`, false);
  }
  return value;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { longWithValue: POLL_OPTIONS });
  const long = options.long;
  const file = long.targets?.at(-1);
  if (file === undefined) throw new UsageError('poll needs --targets FILE (one agent per line, with its options)');
  const maxInFlight = count('max-in-flight', long['max-in-flight']?.at(-1), 1);
  const perTarget = count('per-target', long['per-target']?.at(-1), 1);
  const rate = count('rate', long.rate?.at(-1), 0.001);
  for (const [name, value] of [
    ['max-in-flight', maxInFlight],
    ['per-target', perTarget],
  ] as const) {
    if (value !== undefined && !Number.isInteger(value)) throw new UsageError(`--${name} needs an integer`, false);
  }
  const conf = prepareAgentCommand('poll', options, io);
  const walks = long.walk ?? [];
  const tables = long.table ?? [];
  const command = await agentCommand('poll', options, io, file, conf, [...positionals, ...walks, ...tables]);
  const getOids = parseOidArguments(command, positionals);
  const walkOids = parseOidArguments(command, walks, { singleArc: true });
  const tableOids = parseOidArguments(command, tables);
  if (getOids.length + walkOids.length + tableOids.length === 0) {
    throw new UsageError('poll needs OIDs to GET, or --walk OID, or --table OID', false);
  }

  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    io.err(`snmpkit poll: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 1;
  }
  const targets = await readTargets(command, text, file, conf.client);
  if (targets.length === 0) {
    io.err(`snmpkit poll: ${file} names no agent\n`);
    return 1;
  }

  const poller = new Poller({
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(perTarget !== undefined ? { maxInFlightPerTarget: perTarget } : {}),
    ...(rate !== undefined ? { rate } : {}),
  });
  const started = Date.now();
  const pollRun = poller.poll(targets, { get: getOids, walk: walkOids, table: tableOids });
  const progressLine = () => {
    const p = pollRun.progress;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `poll: ${p.done + p.failed}/${p.total} targets, ${p.done} done, ${p.failed} failed, ${p.inFlight} requests in flight, ${seconds} s`;
  };
  const ticker = setInterval(() => io.err(`${progressLine()}\n`), 1000);
  ticker.unref();
  const stop = () => pollRun.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  let failed = 0;
  try {
    for await (const result of pollRun) {
      if (!result.ok) failed++;
      printResult(command, result as PollResult<FileTarget>, tableOids);
    }
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', stop);
    await poller.close();
  }
  io.err(`${progressLine()}\n`);
  return failed === 0 ? 0 : 1;
}

/** Reads the targets file: one agent per line after its Net-SNMP options; blank lines and `#` comments skipped. */
async function readTargets(
  command: AgentCommand,
  text: string,
  file: string,
  client: Parameters<typeof applyClientDefaults>[1],
): Promise<FileTarget[]> {
  const targets: FileTarget[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${file}:${i + 1}`;
    let settings: SessionOptions;
    try {
      const parsed = parseArgs(splitWords(line));
      if (parsed.positionals.length !== 1) {
        throw new UsageError(`expected [OPTIONS] AGENT, got ${parsed.positionals.length} words that are not options`);
      }
      const agent = parsed.positionals[0]!;
      const options = lineOptions(command.options, parsed.options);
      applyClientDefaults(options, client);
      settings = await sessionOptionsOf({ ...command, options, peer: agent });
    } catch (error) {
      if (error instanceof CliExit) {
        command.io.err(`snmpkit poll: in ${where}\n`);
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new UsageError(`${where}: ${message}`, false);
    }
    const { peer, ...rest } = settings;
    targets.push({ peer: peer!, ...rest, tag: { line: i + 1, agent: peer! } });
  }
  return targets;
}

/** One target's result: a JSON line (--json), or Net-SNMP's lines prefixed with the agent (its error on stderr). */
function printResult(command: AgentCommand, result: PollResult<FileTarget>, tableOids: readonly string[]): void {
  const { io, presenter } = command;
  const { line, agent } = result.target.tag;
  if (!result.ok) {
    if (command.options.json) {
      const error = { code: result.error.code, message: result.error.message };
      io.out(`${JSON.stringify({ agent, line, ok: false, error })}\n`);
    } else {
      io.err(`${agent}: ${result.error.message}\n`);
    }
    return;
  }
  if (command.options.json) {
    const tables: Record<string, unknown[]> = {};
    for (const [oid, rows] of result.tables) {
      tables[oid] = [...rows].map(([index, columns]) => ({
        index,
        columns: Object.fromEntries(
          [...columns].map(([column, value]) => [
            column,
            varbindRecord({ oid: `${oid}.1.${column}.${index}`, value }, presenter),
          ]),
        ),
      }));
    }
    const varbinds = result.varbinds.map((vb) => varbindRecord(vb, presenter));
    io.out(`${JSON.stringify({ agent, line, ok: true, varbinds, ...(tableOids.length > 0 ? { tables } : {}) })}\n`);
    return;
  }
  const all: VarBind[] = [...result.varbinds];
  for (const [oid, rows] of result.tables) {
    const cells: VarBind[] = [];
    for (const [index, columns] of rows) {
      for (const [column, value] of columns) cells.push({ oid: `${oid}.1.${column}.${index}`, value });
    }
    // In the agent's order, as a walk of the table prints it: column by column.
    all.push(...cells.sort((a, b) => compareOids(a.oid, b.oid)));
  }
  let out = '';
  for (const vb of all) out += `${agent}: ${presenter.varbind(vb)}\n`;
  if (out !== '') io.out(out);
}
