/**
 * translate OID...: snmptranslate. Its main job, OID text from one form to another (-On numeric, -Of full, -Os
 * suffix, default iso.3.6...); without MIB modules only the roots have names, exactly as Net-SNMP without MIBs.
 * And its -T reports: -Td a node's definition, -Tp the tree (under each OID, or all of it), and without OIDs the
 * per-node listings -Tl, -To, -Ts, -Tz, -Tt.
 */
import type { Mib } from '@snmpkit/mib';
import { MibLookupError } from '@snmpkit/mib/display';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { MissingModules } from '../missing-modules.js';
import { createPresenter, logIo, type Presenter } from '../presenter.js';
import { applyDisplayDefaults, loadSnmpConf } from '../snmp-conf.js';

/** The -T letters snmptranslate knows (snmpkit refuses a where it would decide the output: see below). */
const REPORT_LETTERS = 'Bdpalostz';

/**
 * snmptranslate 5.9.3's words for another -T letter, "<lostpad>" included: that is what it prints (the same on
 * every run), and scripts that look for the message see the same text.
 */
const badReport = (flag: string) => new UsageError(`Invalid -T<lostpad> character: ${flag}`);

/** The listings one line per node, by -T letter. */
const LISTINGS = { l: 'labeled', o: 'numeric', s: 'symbolic', z: 'child', t: 'typed' } as const;
type ListingLetter = keyof typeof LISTINGS;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    reportFlags: { letters: REPORT_LETTERS, bad: badReport },
    inputFlagWords: 'Unknown OID option to -I',
  });
  const reports = options.reports ?? '';
  const listings = (Object.keys(LISTINGS) as ListingLetter[]).filter((l) => reports.includes(l));
  // snmptranslate's precedence: any listing turns -Tp off; with OIDs the listings are ignored and -Tp comes before
  // -Td; without OIDs a listing or -Tp is printed, and nothing else can go without an OID.
  const tree = reports.includes('p') && listings.length === 0;
  // snmptranslate reads snmp.conf after its options, its complaints logged (-L) before anything else, its display
  // tokens (oidOutputFormat...) over the -O letters as in the other tools.
  const log = logIo(options, io);
  const conf = loadSnmpConf(log);
  applyDisplayDefaults(options, conf.client);
  if (positionals.length === 0 && listings.length === 0 && !tree) {
    if (reports.includes('a')) throw unsupported('a', 'the ASCII symbol table');
    // snmptranslate prints its usage alone here; snmpkit says why first, as for no argument at all.
    throw new UsageError('Missing object name');
  }
  const randomAccess = options.inputFlags.includes('R');
  const presenter = await createPresenter(options, randomAccess, conf.mib, positionals);
  // MIB complaints and unknown OIDs go through Net-SNMP's log (-L) too; its -IR message is plain stderr.
  const missing = await MissingModules.atStart(presenter, options.mibs, log);
  if (positionals.length === 0) {
    if (listings.length > 0) {
      const { reportNodes } = await import('@snmpkit/mib');
      const lines = reportNodes(
        await reportMib(presenter),
        listings.map((l) => LISTINGS[l]),
      );
      io.out(lines.map((line) => `${line}\n`).join(''));
    } else {
      io.out(await treeText(presenter));
    }
    return 0;
  }
  // -TB (without -IR, which wins in snmptranslate): the first argument is a regular expression; every object it
  // matches is printed (with -Td, its details too), and the other arguments are ignored, as snmptranslate does.
  if (reports.includes('B') && !randomAccess) {
    const { matchingNodes, describeNode } = await import('@snmpkit/mib');
    const mib = await reportMib(presenter);
    const pattern = positionals[0]!;
    const found = matchingNodes(mib, pattern);
    if (found.length === 0) {
      io.err(`Unable to find a matching object identifier for "${pattern}"\n`);
      return 1;
    }
    let text = '';
    for (const node of found) {
      const arcs = mib.treeNode(node).arcs();
      const name = presenter.oid(arcs.join('.'));
      text += reports.includes('d') ? describeNode(mib, arcs, name) : `${name}\n`;
    }
    io.out(text);
    return 0;
  }
  const details = !tree && reports.includes('d');
  // Each answer but the last is followed by an empty line; the first unknown OID ends the run.
  let out = '';
  for (const [i, text] of positionals.entries()) {
    let oid: string;
    try {
      oid = presenter.parseOid(text, { singleArc: true });
    } catch (error) {
      if (!(error instanceof MibLookupError)) throw error;
      io.out(out);
      await missing.afterLookup(text);
      // With -IR snmptranslate looks the name up another way, whose failure it words so, without a reason.
      if (randomAccess) io.err(`Unknown object identifier: ${text}\n`);
      else log.err(`${error.message}\n`);
      return 2;
    }
    await missing.afterLookup(text);
    if (tree) {
      const subtree = await treeText(presenter, oid);
      if (subtree === undefined) {
        // No node at all on the OID's path (an unknown root): snmptranslate stops with this, exit code 1.
        io.out(out);
        io.err(`Unable to find a matching object identifier for "${text}"\n`);
        return 1;
      }
      out += subtree;
    } else if (details) out += await detailsText(presenter, oid);
    else out += `${presenter.oid(oid)}\n`;
    if (i < positionals.length - 1) out += '\n';
  }
  io.out(out);
  return 0;
}

function unsupported(letter: string, what: string): UsageError {
  return new UsageError(`-T${letter} (${what}) is not supported by snmpkit translate`, false);
}

/**
 * The modules the reports read: the loaded ones, or without any (MIBS empty) a Mib of the three roots alone, which
 * is Net-SNMP's tree without MIB files.
 */
async function reportMib(presenter: Presenter): Promise<Mib> {
  if (presenter.mib) return presenter.mib;
  const { Mib } = await import('@snmpkit/mib');
  return new Mib({ modules: [], dirs: [], builtins: false, env: {} });
}

/** -Tp: the tree under the deepest known node of an OID (undefined: none), or (no OID) the whole iso tree. */
async function treeText(presenter: Presenter, oid: string): Promise<string | undefined>;
async function treeText(presenter: Presenter): Promise<string>;
async function treeText(presenter: Presenter, oid?: string): Promise<string | undefined> {
  const { printTree } = await import('@snmpkit/mib');
  const mib = await reportMib(presenter);
  if (oid === undefined) return printTree(mib);
  const found = mib.nodeForArcs(oid.split('.').map(Number));
  return found ? printTree(mib, found.node) : undefined;
}

/** -Td: the name as the -O flags print it, then the definition of the deepest known node. */
async function detailsText(presenter: Presenter, oid: string): Promise<string> {
  const { describeNode } = await import('@snmpkit/mib');
  return describeNode(await reportMib(presenter), oid.split('.').map(Number), presenter.oid(oid));
}
