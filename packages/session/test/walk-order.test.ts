import { compareOids, oidStartsWith } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { AFTER, NOT_AFTER, OUTSIDE, placeInWalk } from '../src/walk.js';

/** What a walk decides with the two general functions (placeInWalk must give the same). */
function expected(oid: string, last: string, base: string): number {
  if (!oidStartsWith(oid, base)) return OUTSIDE;
  return compareOids(oid, last) <= 0 ? NOT_AFTER : AFTER;
}

/** A small deterministic generator (mulberry32): the same cases on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("placeInWalk (a walk's one-pass check of each varbind)", () => {
  it('answers as oidStartsWith and compareOids do, on chosen cases', () => {
    const base = '1.3.6.1.2.1.2.2';
    const cases: [string, string][] = [
      ['1.3.6.1.2.1.2.2.1.1.1', base],
      [base, base],
      ['1.3.6.1.2.1.2.20', base],
      ['1.3.6.1.2.1.2.3', base],
      ['1.3.6.1.2.1.2', base],
      ['1.3.6.1.2.1.2.2.1.10.1', '1.3.6.1.2.1.2.2.1.9.4'],
      ['1.3.6.1.2.1.2.2.1.9.4', '1.3.6.1.2.1.2.2.1.10.1'],
      ['1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.1.5', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.12', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.02', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2.1.1.01'],
      ['.1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.2', '.1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.1.1'],
      ['1.3.6.1.2.1.2.2.1.2.1', '1.3.6.1.2.1.2.2.1.1.9'],
      ['1.3.6.1.2.1.2.2.1.0.1', '1.3.6.1.2.1.2.2.1.1.9'],
    ];
    for (const [oid, last] of cases)
      expect(placeInWalk(oid, last, base), `${oid} after ${last}`).toBe(expected(oid, last, base));
    expect(placeInWalk('1.3.6.1.2.1.2.2.1.1.1', base, base)).toBe(AFTER);
    expect(placeInWalk('1.3.6.1.2.1.2.20', base, base)).toBe(OUTSIDE);
    expect(placeInWalk('1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2.1.1.1', base)).toBe(NOT_AFTER);
    expect(placeInWalk('.1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2', '.1.3.6.1.2.1.2.2')).toBe(AFTER);
  });

  it('answers as oidStartsWith and compareOids do, on 100,000 generated cases', () => {
    const next = random(19);
    const arc = () => {
      const r = next();
      // Mostly small arcs, some long ones, a few with a leading zero (non-canonical, yet agents send them).
      if (r < 0.05) return `0${Math.floor(next() * 20)}`;
      if (r < 0.15) return String(Math.floor(next() * 4294967296));
      return String(Math.floor(next() * (r < 0.6 ? 12 : 200)));
    };
    const arcs = (n: number) => Array.from({ length: n }, arc);
    let checked = 0;
    for (let k = 0; k < 100_000; k++) {
      const baseArcs = ['1', '3', ...arcs(Math.floor(next() * 6))];
      const base = baseArcs.join('.');
      const last = next() < 0.2 ? base : [...baseArcs, ...arcs(1 + Math.floor(next() * 4))].join('.');
      // OIDs near `last`: under base after or before it, its prefixes and extensions, siblings of base.
      const lastArcs = last.split('.');
      const r = next();
      let oidArcs: string[];
      if (r < 0.3)
        oidArcs = [...lastArcs.slice(0, Math.floor(next() * (lastArcs.length + 1))), ...arcs(Math.floor(next() * 3))];
      else if (r < 0.5) oidArcs = [...lastArcs, ...arcs(1 + Math.floor(next() * 2))];
      else if (r < 0.7) {
        oidArcs = [...lastArcs];
        const at = Math.floor(next() * oidArcs.length);
        oidArcs[at] = String(Math.max(0, Number(oidArcs[at]) + (next() < 0.5 ? -1 : 1) * Math.floor(1 + next() * 12)));
      } else if (r < 0.85) oidArcs = [...baseArcs.slice(0, -1), arc(), ...arcs(Math.floor(next() * 3))];
      else oidArcs = [...lastArcs.slice(0, -1), `${lastArcs.at(-1)}${Math.floor(next() * 10)}`];
      if (oidArcs.length < 2) oidArcs = ['1', '3'];
      const oid = (next() < 0.03 ? '.' : '') + oidArcs.join('.');
      const got = placeInWalk(oid, last, base);
      if (got !== expected(oid, last, base))
        expect(got, `${oid} after ${last} in ${base}`).toBe(expected(oid, last, base));
      checked++;
    }
    expect(checked).toBe(100_000);
  });
});
