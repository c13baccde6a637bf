/**
 * walk and bulkwalk: snmpwalk's and snmpbulkwalk's loop, kept here rather than in Session.walk() because their
 * output has quirks that the session's walk rightly does not have: an exception value inside the subtree is
 * printed (then the walk stops), an empty walk GETs the root and prints whatever comes back, v1's noSuchName
 * prints "End of MIB".
 */
import { compareOids, isException, oidStartsWith, type VarBind } from '@snmpkit/ber';
import { ErrorStatus, ResponseError, type Session } from '@snmpkit/session';
import {
  type AgentCommand,
  openSession,
  parseOidArguments,
  printResponseError,
  printVarbinds,
  refusesV2Pdu,
  reportFailure,
  startAgentCommand,
} from '../agent.js';
import { appFlag, appFlagCount, takeAppFlagWord } from '../args.js';
import type { Io } from '../io.js';

const APP_FLAGS = {
  walk: { p: 'none', i: 'none', I: 'none', c: 'none', t: 'none', T: 'none' },
  bulkwalk: { c: 'none', i: 'none', n: 'number', p: 'none', r: 'number' },
} as const;

/** Net-SNMP's default walk root: mib-2. */
const MIB_2 = '1.3.6.1.2.1';

/**
 * Shows how far a long walk got, on stderr, when stderr is a terminal and stdout a regular file (`snmpkit walk ... >
 * out.txt`); erased at the end. Never beside a pipe: the reader's output shares the terminal (see Io.outIsFile).
 */
class Progress {
  private shown = false;
  private last = 0;
  constructor(private readonly io: Io) {}
  update(count: number): void {
    if (!this.io.errIsTerminal || !this.io.outIsFile) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    this.io.err(`\r${count} ${count === 1 ? 'object' : 'objects'}...`);
  }
  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
  }
}

export async function run(name: 'walk' | 'bulkwalk', argv: readonly string[], io: Io): Promise<number> {
  const words = [...argv];
  const endText = name === 'walk' ? takeAppFlagWord(words, 'E') : undefined;
  const { command, rest } = await startAgentCommand(name, words, { appFlags: APP_FLAGS[name] }, io);
  const { options } = command;
  // Like snmpwalk and snmpbulkwalk, only the first OID is walked; others are ignored.
  const [root = MIB_2] = parseOidArguments(command, rest.slice(0, 1), { singleArc: true });
  // A root of one arc (`.1`, `iso`: the whole tree) cannot be sent as it is. Net-SNMP's encoder writes the lone arc
  // X in one byte, which reads back as 0.X: its GETs of the root (-Ci, the empty walk) ask for 0.X, and so do ours.
  // The walk itself starts at X.0, before everything under X.
  const singleArc = !root.includes('.');
  const rootRequestOid = singleArc ? `0.${root}` : root;
  const [end] = endText === undefined ? [] : parseOidArguments(command, [endText]);
  if (name === 'bulkwalk' && refusesV2Pdu(command)) return 1;
  const toggled = (flag: string) => appFlagCount(options, flag) % 2 === 1;
  const session = await openSession(command);
  const started = performance.now();
  const progress = new Progress(io);
  // snmpwalk and snmpbulkwalk print their timeouts without the final dot.
  const fail: (error: unknown) => never = (error) => reportFailure(command, error, { timeoutDot: false });
  try {
    let printed = 0;
    if (toggled('i')) {
      const included = await session.get([rootRequestOid]).catch(fail);
      printVarbinds(command, included);
      printed += included.length;
    }
    const useBulk = name === 'bulkwalk';
    const nonRepeaters = Number(appFlag(options, 'n') ?? 0);
    const maxRepetitions = Number(appFlag(options, 'r') ?? 10);
    let last = singleArc ? `${root}.0` : root;
    let exitCode = 0;
    let running = true;
    while (running) {
      let varbinds: VarBind[];
      const requestStarted = performance.now();
      try {
        varbinds = useBulk
          ? await session.getBulk([last], { nonRepeaters, maxRepetitions })
          : await session.getNext([last]);
      } catch (error) {
        if (!(error instanceof ResponseError)) fail(error);
        if (error.status === ErrorStatus.noSuchName) io.out('End of MIB\n');
        else exitCode = printResponseError(command, error);
        break;
      }
      if (varbinds.length === 0) break;
      // -CT: snmpwalk puts the time this request took before each line it printed.
      const prefix = toggled('T') ? `${((performance.now() - requestStarted) / 1000).toFixed(6)} s: ` : '';
      const batch: VarBind[] = [];
      for (const vb of varbinds) {
        if (!oidStartsWith(vb.oid, root) || (end !== undefined && compareOids(vb.oid, end) >= 0)) {
          running = false;
          break;
        }
        batch.push(vb);
        printed++;
        if (isException(vb.value)) {
          // The walk ends after this response; the rest of a GETBULK response is still printed, as Net-SNMP does.
          running = false;
          continue;
        }
        if (!toggled('c') && compareOids(last, vb.oid) >= 0) {
          printVarbinds(command, batch, prefix);
          batch.length = 0;
          const format = (oid: string) => command.presenter.oid(oid);
          io.err(`Error: OID not increasing: ${format(last)}\n >= ${format(vb.oid)}\n\n`);
          exitCode = 1;
          running = false;
          break;
        }
        last = vb.oid;
      }
      printVarbinds(command, batch, prefix);
      progress.update(printed);
    }
    progress.clear();
    // Whatever the walk's first response was (values outside the subtree, an error-status, v1's end of the MIB), when
    // nothing was printed Net-SNMP GETs the root; only a failure without a response (fail() above) skips it.
    if (printed === 0 && !toggled('I')) {
      await printRoot(command, session, rootRequestOid, fail);
    }
    if (toggled('p')) io.out(`Variables found: ${printed}\n`);
    if (toggled('t')) {
      io.err(`Total traversal time = ${((performance.now() - started) / 1000).toFixed(6)} seconds\n`);
    }
    return exitCode;
  } finally {
    await session.close();
  }
}

/**
 * An empty walk GETs the root itself and prints the answer, exceptions included (snmpwalk's snmpget_it). An
 * error-status in that answer prints nothing and leaves the exit code alone, as in Net-SNMP.
 */
async function printRoot(
  command: AgentCommand,
  session: Session,
  root: string,
  fail: (error: unknown) => never,
): Promise<void> {
  try {
    printVarbinds(command, await session.get([root]));
  } catch (error) {
    if (!(error instanceof ResponseError)) fail(error);
  }
}
