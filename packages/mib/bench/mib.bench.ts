/**
 * Benchmark: loading every module of Debian's libsnmp-base and the net-snmp npm package (or of `--dir`), and
 * translating OIDs to names and back, beside Net-SNMP's snmptranslate measured in the same run.
 * Also: what the package adds to a CLI's start (import + default core names + one formatted value).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatOid, Mib, parseOid } from '@snmpkit/mib';

const NPM_MIBS = fileURLToPath(new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url));
// `--dir A:B` measures other directories (e.g. the 315 IETF/IANA modules of Debian's snmp-mibs-downloader:
// `--dir /usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs/ietf`).
const dirArg = process.argv.indexOf('--dir');
const DIRS = dirArg > 0 ? process.argv[dirArg + 1]! : `/usr/share/snmp/mibs:${NPM_MIBS}`;
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * The fastest of several runs: the machine is shared, and interference only ever adds time, so the
 * minimum is the most repeatable estimate for both sides.
 */
function best(values: number[]): number {
  return Math.min(...values);
}

function timeMs(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function snmptranslate(args: string[]): void {
  // Its exit status is 2 when one name of many is unknown (SFLOW-MIB prints a name it cannot read back): still timed.
  spawnSync('snmptranslate', ['-M', DIRS, '-m', 'ALL', ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
}

const line = (label: string, ours: string, theirs: string, ratio: string) =>
  console.log(`${label.padEnd(34)} ${ours.padStart(16)} ${theirs.padStart(18)} ${ratio.padStart(12)}`);

console.log(`MIB benchmark (modules from ${DIRS})`);
line('', 'snmpkit', 'snmptranslate', 'ratio');

// 1. Loading all modules. snmptranslate's cost is one process reading them all minus one reading none.
const runs = 21;
const loadAll = () => new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} }).load();
for (let i = 0; i < 5; i++) loadAll();
const ourLoad = best(Array.from({ length: runs }, () => timeMs(loadAll)));
const theirAll = best(Array.from({ length: runs }, () => timeMs(() => snmptranslate(['-On', '.1.3.6.1']))));
const theirNone = best(
  Array.from({ length: runs }, () =>
    timeMs(() =>
      execFileSync('snmptranslate', ['-M', DIRS, '-m', '', '-On', '.1.3.6.1'], {
        stdio: ['ignore', 'ignore', 'ignore'],
      }),
    ),
  ),
);
const theirLoad = Math.max(theirAll - theirNone, 0.001);
const mib = new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} }).load();
console.log(`modules loaded: ${mib.loadedModules().length}`);
line('load all modules (ms)', ourLoad.toFixed(2), theirLoad.toFixed(2), `${(theirLoad / ourLoad).toFixed(2)}x`);
if (existsSync(DIST)) {
  // The first load in a fresh process, before the JIT has warmed up: what a CLI run pays.
  const cold = `import { Mib } from ${JSON.stringify(DIST)};
const t = performance.now();
new Mib({ dirs: ${JSON.stringify(DIRS)}, modules: 'ALL', builtins: false, env: {} }).load();
process.stdout.write(String(performance.now() - t));`;
  const coldMs = best(
    Array.from({ length: 7 }, () =>
      Number(spawnSync(process.execPath, ['--input-type=module', '-e', cold], { encoding: 'utf8' }).stdout),
    ),
  );
  line(
    'load all modules, cold process (ms)',
    coldMs.toFixed(2),
    theirLoad.toFixed(2),
    `${(theirLoad / coldMs).toFixed(2)}x`,
  );
}

// 2. Translations: every node's OID with an instance suffix, to names and back.
const numeric = execFileSync('snmptranslate', ['-M', DIRS, '-m', 'ALL', '-To'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
})
  .trim()
  .split('\n');
const instances = numeric.map((o) => `${o}.1`);
// Names that read back to their OID (a row's '.1' printed as an IMPLIED string '.' does not).
const names = instances
  .map((o) => formatOid(mib, o))
  .filter((n, i) => {
    try {
      return `.${parseOid(mib, n).join('.')}` === instances[i];
    } catch {
      return false;
    }
  });
for (const o of instances) formatOid(mib, o);
const rounds = 60;
const toName = best(
  Array.from({ length: 5 }, () =>
    timeMs(() => {
      for (let r = 0; r < rounds; r++) for (const o of instances) formatOid(mib, o);
    }),
  ),
);
const toOid = best(
  Array.from({ length: 5 }, () =>
    timeMs(() => {
      for (let r = 0; r < rounds; r++) for (const n of names) parseOid(mib, n);
    }),
  ),
);
const ourToName = (rounds * instances.length) / (toName / 1000);
const ourToOid = (rounds * names.length) / (toOid / 1000);
console.log(`translating ${instances.length} instance OIDs and ${names.length} names`);
// snmptranslate: the marginal cost of one more argument in a process that translates many (the
// list ten times over, so that the difference dwarfs process start-up noise).
// At most 20,000 arguments: a command line has a size limit (the IETF modules have 25,000 nodes).
const repeat = <T>(list: T[]): T[] =>
  Array.from({ length: 10 }, () => list)
    .flat()
    .slice(0, 20_000);
const manyInstances = repeat(instances);
const manyNames = repeat(names);
const one = best(Array.from({ length: 11 }, () => timeMs(() => snmptranslate([instances[0]!]))));
const many = best(Array.from({ length: 5 }, () => timeMs(() => snmptranslate(manyInstances))));
const theirToName = (manyInstances.length - 1) / (Math.max(many - one, 0.001) / 1000);
const oneBack = best(Array.from({ length: 11 }, () => timeMs(() => snmptranslate(['-On', names[0]!]))));
const manyBack = best(Array.from({ length: 5 }, () => timeMs(() => snmptranslate(['-On', ...manyNames]))));
const theirToOid = (manyNames.length - 1) / (Math.max(manyBack - oneBack, 0.001) / 1000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
line('OID -> name (translations/s)', fmt(ourToName), fmt(theirToName), `${(ourToName / theirToName).toFixed(2)}x`);
line('name -> OID (translations/s)', fmt(ourToOid), fmt(theirToOid), `${(ourToOid / theirToOid).toFixed(2)}x`);

// 3. Start cost for a CLI: node importing the built package, loading the default core names and
// printing one value, against node doing nothing; beside snmptranslate translating one name.
if (existsSync(DIST)) {
  const script = `import { Mib, formatVarbind } from ${JSON.stringify(DIST)};
const mib = new Mib({ dirs: [], env: {} });
process.stdout.write(formatVarbind(mib, '1.3.6.1.2.1.2.2.1.8.1', { type: 'Integer', value: 1 }) + '\\n');`;
  const node = (code: string) => timeMs(() => spawnSync(process.execPath, ['--input-type=module', '-e', code]));
  const bare = best(Array.from({ length: 9 }, () => node('')));
  const withMib = best(Array.from({ length: 9 }, () => node(script)));
  const oneTranslate = best(
    Array.from({ length: 9 }, () =>
      timeMs(() =>
        execFileSync('snmptranslate', ['-M', NPM_MIBS, '-m', 'IF-MIB', 'IF-MIB::ifOperStatus.1'], {
          stdio: ['ignore', 'ignore', 'ignore'],
        }),
      ),
    ),
  );
  line('start: node alone (ms)', bare.toFixed(1), '', '');
  line('start: +import, core names, 1 value', (withMib - bare).toFixed(1), oneTranslate.toFixed(1), '');
} else {
  console.log('(build dist/ first for the start-cost line: npx tsc -p tsconfig.build.json)');
}
