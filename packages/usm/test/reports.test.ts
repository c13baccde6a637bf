import { describe, expect, it } from 'vitest';
import { USM_SNMPERR, USM_STATS, UsmStats, usmReportReason, usmStatsCounter } from '../src/index.js';

describe('usmStats', () => {
  it('has the six counters of SNMP-USM-MIB at 1.3.6.1.6.3.15.1.1.1.0 .. 6.0', () => {
    expect(USM_STATS.map((c) => c.oid)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `1.3.6.1.6.3.15.1.1.${n}.0`));
    expect(usmStatsCounter('wrongDigests')).toEqual({
      reason: 'wrongDigests',
      name: 'usmStatsWrongDigests',
      oid: '1.3.6.1.6.3.15.1.1.5.0',
    });
    for (const c of USM_STATS) expect(USM_SNMPERR[c.reason].name).toMatch(/^SNMPERR_/);
  });

  it('tells which report a Report PDU is', () => {
    const report = (oid: string) => ({
      type: 'Report' as const,
      requestId: 1,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid, value: { type: 'Counter32' as const, value: 3 } }],
    });
    expect(usmReportReason(report('1.3.6.1.6.3.15.1.1.2.0'))).toBe('notInTimeWindow');
    expect(usmReportReason(report('1.3.6.1.6.3.15.1.1.3'))).toBe('unknownUserName');
    expect(usmReportReason(report('1.3.6.1.6.3.12.1.4.0'))).toBeUndefined();
    expect(usmReportReason({ ...report('1.3.6.1.6.3.15.1.1.2.0'), type: 'Response' })).toBeUndefined();
    expect(usmReportReason({ ...report('x'), varbinds: [] })).toBeUndefined();
  });

  it('counts refusals and gives the varbind the Report carries', () => {
    const stats = new UsmStats();
    expect(stats.count('unknownEngineID')).toEqual({
      oid: '1.3.6.1.6.3.15.1.1.4.0',
      value: { type: 'Counter32', value: 1 },
    });
    expect(stats.count('unknownEngineID').value).toEqual({ type: 'Counter32', value: 2 });
    expect(stats.get('wrongDigests')).toBe(0);
    expect(stats.varbinds().map((v) => (v.value.type === 'Counter32' ? v.value.value : -1))).toEqual([
      0, 0, 0, 2, 0, 0,
    ]);
  });
});
