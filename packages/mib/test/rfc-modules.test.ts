import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Mib, parseModules } from '../src/index.js';

// The RFCs the net-snmp npm package ships (node_modules/net-snmp/ref), read in place: they hold the
// official text of modules whose core objects snmpkit builds in.
const REF = new URL('../../../node_modules/net-snmp/ref/rfc', import.meta.url).pathname;
const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;

/** A module's text from an RFC: from "NAME DEFINITIONS" to its END, without page headers and footers. */
function moduleFromRfc(file: string, name: string): string {
  const lines = readFileSync(`${REF}/${file}`, 'latin1')
    .split('\n')
    .filter((l) => !/\[Page \d+\]\s*$/.test(l) && !/^RFC \d+ /.test(l) && !l.includes('\f'));
  const start = lines.findIndex((l) => new RegExp(`^\\s*${name}\\s+DEFINITIONS\\s*::=\\s*BEGIN`).test(l));
  // The module's own END is the last one before the next module (MACRO bodies have their own).
  let next = lines.findIndex((l, i) => i > start && /DEFINITIONS\s*::=\s*BEGIN/.test(l));
  if (next < 0) next = lines.length;
  let end = next - 1;
  while (end > start && lines[end]!.trim() !== 'END') end--;
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start, end + 1).join('\n');
}

describe('modules as printed in the RFCs', () => {
  it('parses SNMPv2-SMI from RFC 2578, macros and all, and the SMIv1 SMI from RFC 1155', () => {
    for (const [file, name] of [
      ['v2c/rfc2578.txt', 'SNMPv2-SMI'],
      ['v1/rfc1155.txt', 'RFC1155-SMI'],
      ['v3/rfc3417.txt', 'SNMPv2-TM'],
      ['v3/rfc3416.txt', 'SNMPv2-PDU'],
    ] as const) {
      const { modules, errors } = parseModules(moduleFromRfc(file, name), file);
      expect(errors, file).toEqual([]);
      expect(modules.map((m) => m.name)).toEqual([name]);
    }
  });

  it('the built-in SNMP-MPD-MIB and SNMP-USER-BASED-SM-MIB objects sit where RFC 3412 and 3414 put them', () => {
    const builtin = new Mib({ dirs: [], env: {} });
    for (const [file, name] of [
      ['v3/rfc3412.txt', 'SNMP-MPD-MIB'],
      ['v3/rfc3414.txt', 'SNMP-USER-BASED-SM-MIB'],
    ] as const) {
      // The RFC module links against SNMPv2-SMI/TC/CONF from the npm package and the built-in framework MIB.
      const real = new Mib({ dirs: [NPM_MIBS], modules: [], env: {} });
      expect(real.loadText(moduleFromRfc(file, name), file)).toEqual([name]);
      let checked = 0;
      const visit = (node: NonNullable<ReturnType<Mib['findNode']>>): void => {
        for (const child of node.children) visit(child);
        if (node.module !== name) return;
        const twin = real.findNode(node.label, name);
        expect(twin, `${name}::${node.label}`).toBeDefined();
        expect(real.treeNode(twin!).arcs()).toEqual(builtin.treeNode(node).arcs());
        expect(node.type).toBe(twin!.type);
        expect(node.access).toBe(twin!.access);
        checked++;
      };
      visit(builtin.findNode('iso')!);
      expect(checked, name).toBeGreaterThan(4);
    }
  });
});
