import { compareOids } from '@snmpkit/ber';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalOid, compareOidText } from '../src/oid.js';

const arc = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 0xffffffff }));
const oid = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 12 }))
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
// Pairs that share a prefix, as neighbours in a table do.
const related = fc
  .tuple(oid, fc.array(arc, { maxLength: 4 }), fc.array(arc, { maxLength: 4 }))
  .map(([base, x, y]) => [[base, ...x].join('.'), [base, ...y].join('.')]);

describe('compareOidText', () => {
  it("orders OIDs exactly as @snmpkit/ber's compareOids", () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(oid, oid), related), ([a, b]) => {
        expect(Math.sign(compareOidText(a!, b!))).toBe(Math.sign(compareOids(a!, b!)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('handles arcs of different lengths and prefixes', () => {
    expect(compareOidText('1.3.6.1', '1.3.6.1')).toBe(0);
    expect(compareOidText('1.3.6.1', '1.3.6.1.0')).toBeLessThan(0);
    expect(compareOidText('1.3.6.9', '1.3.6.10')).toBeLessThan(0);
    expect(compareOidText('1.3.6.10', '1.3.6.9.5')).toBeGreaterThan(0);
    expect(compareOidText('1.3.6.1.2', '1.3.6.12')).toBeLessThan(0);
  });

  it('canonicalizes arcs with leading zeros only', () => {
    expect(canonicalOid('1.3.06.001.0')).toBe('1.3.6.1.0');
    const same = '1.3.6.1.0';
    expect(canonicalOid(same)).toBe(same);
  });
});
