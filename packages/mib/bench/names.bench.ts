/**
 * Benchmark of names in and out of the library (`npm run bench:names`, after `npm run build`):
 *
 * 1. Per varbind: the name and display text a NamedSession adds (`Mib.nameOf` + `Mib.displayOf`) against the numeric
 *    path (the same varbind printed without a MIB, as Net-SNMP does without MIB files), and name → OID
 *    (`Mib.oidOf`) against numeric OID input; each ratio printed, both sides measured in this run.
 * 2. Loading, each in a fresh process (time to load, and the heap it keeps after a full GC): the built-in core
 *    modules, and every MIB file in the directories given (`--dir A:B`, default Debian's libsnmp-base modules and
 *    the net-snmp npm package's).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SnmpValue } from '@snmpkit/ber';
import { formatOid, formatValue, Mib, numericArcs } from '@snmpkit/mib';

const NPM_MIBS = fileURLToPath(new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const dirArg = process.argv.indexOf('--dir');
const DIRS = dirArg > 0 ? process.argv[dirArg + 1]! : `/usr/share/snmp/mibs:${NPM_MIBS}`;

function best(values: number[]): number {
  return Math.min(...values);
}

/** Nanoseconds per call of `fn` over `items`, the best of several rounds (interference only adds time). */
function nsPerItem<T>(items: readonly T[], fn: (item: T) => unknown, rounds = 15): number {
  let sink = 0;
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (const item of items) sink += (fn(item) as string | number[]).length;
    times.push(Number(process.hrtime.bigint() - t) / items.length);
  }
  if (sink < 0) console.log(sink);
  return best(times.slice(3));
}

// A walk's worth of typical varbinds: ifTable rows (strings, hints, enums, counters), ipAddressTable rows
// (InetAddress indexes), system scalars.
const varbinds: { oid: string; value: SnmpValue }[] = [];
const text = (s: string): SnmpValue => ({ type: 'OctetString', value: new TextEncoder().encode(s) });
for (let i = 1; i <= 200; i++) {
  const e = '1.3.6.1.2.1.2.2.1';
  varbinds.push(
    { oid: `${e}.1.${i}`, value: { type: 'Integer', value: i } },
    { oid: `${e}.2.${i}`, value: text(`eth${i}`) },
    { oid: `${e}.3.${i}`, value: { type: 'Integer', value: 6 } },
    { oid: `${e}.6.${i}`, value: { type: 'OctetString', value: Uint8Array.from([0, 0x16, 0x3e, 0, i >> 8, i & 255]) } },
    { oid: `${e}.8.${i}`, value: { type: 'Integer', value: 1 } },
    { oid: `${e}.10.${i}`, value: { type: 'Counter32', value: 123456 * i } },
    { oid: `1.3.6.1.2.1.4.34.1.3.1.4.10.0.${i >> 8}.${i & 255}`, value: { type: 'Integer', value: i } },
    {
      oid: `1.3.6.1.2.1.4.34.1.3.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.${i >> 8}.${i & 255}`,
      value: { type: 'Integer', value: i },
    },
  );
}
varbinds.push({ oid: '1.3.6.1.2.1.1.3.0', value: { type: 'TimeTicks', value: 123456 } });

const mib = new Mib({ dirs: [], env: {} }).load();
const numericPath = ({ oid, value }: { oid: string; value: SnmpValue }) =>
  formatOid(undefined, oid, 'numeric') + formatValue(undefined, oid, value, { quick: true });
const namedPath = ({ oid, value }: { oid: string; value: SnmpValue }) => mib.nameOf(oid) + mib.displayOf(oid, value);
const names = varbinds.map((vb) => mib.nameOf(vb.oid));
const oids = varbinds.map((vb) => vb.oid);

const outNumeric = nsPerItem(varbinds, numericPath);
const outNamed = nsPerItem(varbinds, namedPath);
const inNumeric = nsPerItem(oids, (oid) => numericArcs(oid)!);
const inNamed = nsPerItem(names, (name) => mib.oidOf(name));

const row = (label: string, a: string, b: string, c: string) =>
  console.log(`${label.padEnd(46)} ${a.padStart(12)} ${b.padStart(12)} ${c.padStart(8)}`);
console.log(`per varbind (${varbinds.length} varbinds: ifTable, ipAddressTable v4/v6, sysUpTime; built-in modules)`);
row('', 'named (ns)', 'numeric (ns)', 'ratio');
row(
  'OID + value -> name + display text',
  outNamed.toFixed(0),
  outNumeric.toFixed(0),
  `${(outNamed / outNumeric).toFixed(2)}x`,
);
row(
  'name -> OID arcs (numeric: dotted -> arcs)',
  inNamed.toFixed(0),
  inNumeric.toFixed(0),
  `${(inNamed / inNumeric).toFixed(2)}x`,
);

/** Loads in a fresh Node process (`--expose-gc`); its time and the heap kept after a full GC, best of `runs`. */
function freshLoad(construct: string, runs = 7): { ms: number; heapMb: number; modules: number } {
  const script = `
    import { Mib } from ${JSON.stringify(DIST)};
    globalThis.gc(); const before = process.memoryUsage().heapUsed;
    const t = process.hrtime.bigint();
    const mib = ${construct}.load();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    globalThis.gc(); const heap = process.memoryUsage().heapUsed - before;
    console.log(JSON.stringify({ ms, heapMb: heap / 1048576, modules: mib.loadedModules().length }));`;
  const results = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    return JSON.parse(out) as { ms: number; heapMb: number; modules: number };
  });
  return {
    ms: best(results.map((r) => r.ms)),
    heapMb: best(results.map((r) => r.heapMb)),
    modules: results[0]!.modules,
  };
}

const files = DIRS.split(':').reduce((n, dir) => n + readdirSync(dir).length, 0);
const builtins = freshLoad(`new Mib({ dirs: [], modules: 'ALL', env: {} })`);
const directory = freshLoad(`new Mib({ dirs: ${JSON.stringify(DIRS)}, modules: 'ALL', builtins: false, env: {} })`);
console.log('\nloading, in a fresh process (best of 7)');
row('', 'time (ms)', 'heap (MB)', 'modules');
row('built-in core modules', builtins.ms.toFixed(1), builtins.heapMb.toFixed(2), String(builtins.modules));
row(
  `${files} files in ${DIRS.split(':').length} directories (-m ALL)`,
  directory.ms.toFixed(1),
  directory.heapMb.toFixed(2),
  String(directory.modules),
);
