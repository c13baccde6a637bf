import { execFileSync } from 'node:child_process';
import type { VarBind } from '@snmpkit/ber';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormatOptions, formatOid, formatVarbind, Mib } from '../src/index.js';
import { type Snmpd, startSnmpd, walk } from './agent.js';

const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures', import.meta.url).pathname;
const DIRS = `${FIXTURES}:/usr/share/snmp/mibs:${NPM_MIBS}`;

function snmpwalk(port: number, root: string, extra: string[] = []): string {
  return execFileSync(
    'snmpwalk',
    ['-v2c', '-c', 'public', '-M', DIRS, '-m', 'ALL', ...extra, `127.0.0.1:${port}`, root],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 26,
    },
  );
}

/**
 * Cuts snmpwalk's output into one text per varbind, keyed by name: an entry starts at a line that
 * begins with a name and " = " (continuation lines of long values start with hex digits and a space).
 */
function entries(output: string): Map<string, string> {
  const found = new Map<string, string>();
  const body = output.endsWith('\n') ? output.slice(0, -1) : output;
  for (const block of body.split(/\n(?=[^\s=]+ = )/)) {
    found.set(block.slice(0, block.indexOf(' = ')), block);
  }
  return found;
}

const T = '.1.3.6.1.4.1.99999.1';
// Values snmpd serves for the fixture module's objects (override accepts these types).
const OVERRIDES = [
  `${T}.1.0 octet_str 0x0102ABff`,
  `${T}.2.0 integer 1234`,
  `${T}.3.0 unsigned 77`,
  `${T}.4.0 octet_str "h\u00e9llo w\u00f6rld"`,
  `${T}.6.0 object_id .1.3.6.1.2.1.1`,
  `${T}.8.0 timeticks 8640123`,
  `${T}.10.0 counter 5`,
  `${T}.11.0 octet_str 0x07EA0B17152F0A002B0000`,
  `${T}.12.0 integer 2`,
  `${T}.13.0 integer 7`,
  `${T}.14.0 octet_str 0xC0A80001`,
  `${T}.15.0 octet_str 0x0102030405`,
  `${T}.16.0 octet_str 0x02AABB03CCDDEEFF`,
  `${T}.17.0 integer 255`,
  `${T}.18.0 integer 8`,
  `${T}.19.0 integer -5`,
  `${T}.20.0 integer 7`,
  `${T}.21.0 octet_str 0xA080`,
  `${T}.22.0 octet_str "caf\u00e9"`,
  `${T}.23.0 integer 5`,
  `${T}.24.0 octet_str 0x00FF10`,
  `${T}.25.0 octet_str 0x000102030405060708090A0B0C0D0E0F1011`,
  `${T}.26.0 octet_str 0x615c2262`,
];

describe('values print as snmpwalk prints them with the same modules', () => {
  let agent: Snmpd;
  const mib = new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} });
  beforeAll(async () => {
    agent = await startSnmpd(OVERRIDES.map((line) => `override ${line}`));
  });
  afterAll(async () => {
    await agent?.stop();
  });

  it('DISPLAY-HINTs, enumerations, units, BITS, OIDs and wrong types on the fixture module', async () => {
    const varbinds = await walk(agent.port, T.slice(1));
    expect(varbinds.length).toBe(OVERRIDES.length);
    const mine = varbinds.map((vb) => formatVarbind(mib, vb.oid, vb.value)).join('\n');
    expect(mine).toBe(snmpwalk(agent.port, T).replace(/\n$/, ''));
    const flags: Array<[string, FormatOptions]> = [
      ['-On', { oidFormat: 'numeric' }],
      ['-Of', { oidFormat: 'full' }],
      ['-Os', { oidFormat: 'suffix' }],
      ['-Ou', { oidFormat: 'ucd' }],
      ['-OT', { hexText: true }],
      ['-OX', { extendedIndex: true }],
      ['-Ob', { numericIndex: true }],
      ['-OQ', { quick: true, quickEquals: true }],
      ['-Oq', { quick: true }],
      ['-Ov', { valueOnly: true }],
      ['-O0', { twoDigitHex: true }],
      ['-OqX', { quick: true, extendedIndex: true }],
      ['-Oe', { numericEnums: true }],
      ['-Ot', { numericTimeticks: true }],
      ['-OU', { noUnits: true }],
      ['-Ox', { stringFormat: 'hex' }],
      ['-Oa', { stringFormat: 'ascii' }],
    ];
    for (const [flag, options] of flags) {
      const mineFormatted = varbinds.map((vb) => formatVarbind(mib, vb.oid, vb.value, options)).join('\n');
      expect(mineFormatted, flag).toBe(snmpwalk(agent.port, T, [flag]).replace(/\n$/, ''));
    }
  });

  it('a walk of the whole agent matches snmpwalk for every value that held still', async () => {
    for (const root of ['.1.3.6.1.2.1', '.1.3.6.1.4.1.2021', '.1.3.6.1.4.1.8072', '.1.3.6.1.6.3']) {
      const before = await walk(agent.port, root.slice(1));
      // At the end of the agent's view snmpwalk adds a line for the endOfMibView it received.
      const output = snmpwalk(agent.port, root).replace(
        /\n[^\n]* = No more variables left in this MIB View[^\n]*\n$/,
        '\n',
      );
      const after = await walk(agent.port, root.slice(1));
      const stable = new Map<string, VarBind>();
      const afterByOid = new Map(after.map((vb) => [vb.oid, vb]));
      for (const vb of before) {
        const again = afterByOid.get(vb.oid);
        if (
          again &&
          JSON.stringify(again.value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)) ===
            JSON.stringify(vb.value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))
        ) {
          stable.set(vb.oid, vb);
        }
      }
      const theirs = entries(output);
      let compared = 0;
      for (const vb of before) {
        if (!stable.has(vb.oid)) continue;
        const name = formatOid(mib, vb.oid);
        // A row can vanish and come back between the walks (a socket of another process on a busy machine): compare
        // what all three walks saw, and demand enough of it below.
        if (!theirs.has(name)) continue;
        expect(formatVarbind(mib, vb.oid, vb.value)).toBe(theirs.get(name));
        compared++;
      }
      expect(compared, `values compared under ${root}`).toBeGreaterThan(root === '.1.3.6.1.4.1.8072' ? 3 : 10);
    }
  });
});
