import { type CommunityMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestTimeoutError, Session, type SessionOptions } from '../src/index.js';
import { tinyMemoryAgent } from './helpers.js';

/**
 * Walks against agents that never answer GETBULK (snmpjs): `getBulk: false`, `useGetBulk: false`, and the automatic
 * fallback — the walk's first GETBULK gets one attempt, then one GETNEXT of the same OID decides.
 */

const ROOT = '1.3.6.1.4.1.99';
const DATA: VarBind[] = Array.from({ length: 25 }, (_, i) => ({
  oid: `${ROOT}.${i + 1}.0`,
  value: SnmpValue.integer(i),
}));
const AFTER: VarBind = { oid: '1.3.6.1.4.1.100.0', value: SnmpValue.integer(-1) };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/**
 * An agent that drops GETBULK (or nothing, or everything), logging the PDU types it received. It is in memory: its
 * answers arrive before any timer can fire, so the only timeouts are those of dropped requests and the counts of
 * requests hold on a machine of any speed (over UDP, a busy machine made a retry of an answered GETNEXT).
 */
async function agent(drop: (type: string) => boolean) {
  const types: string[] = [];
  const a = tinyMemoryAgent([...DATA, AFTER], (request: CommunityMessage) => {
    types.push(request.pdu.type);
    return drop(request.pdu.type) ? null : undefined;
  });
  const open = async (options: Partial<SessionOptions> = {}) => {
    const session = await Session.open({ transport: a.transport, timeout: 80, retries: 2, backoff: 2, ...options });
    cleanup.push(() => session.close());
    return session;
  };
  return { types, open };
}

const noBulk = (type: string) => type === 'GetBulkRequest';

describe('walks on an agent without GETBULK', () => {
  it('falls back: one GETBULK attempt, one GETNEXT of the same OID, then GETNEXT to the end; remembered', async () => {
    const { types, open } = await agent(noBulk);
    const session = await open();
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    // One GETBULK (no retry of it), then GETNEXTs: 25 varbinds and the one that leaves the subtree.
    expect(types).toEqual(['GetBulkRequest', ...Array(26).fill('GetNextRequest')]);
    expect(session.stats).toMatchObject({ timeouts: 1, retransmissions: 0 });
    // The session remembers: the next walk and table() go straight to GETNEXT.
    types.length = 0;
    expect(await session.walkAll(`${ROOT}.2`)).toEqual([DATA[1]]);
    expect(types.every((t) => t !== 'GetBulkRequest')).toBe(true);
    expect(session.stats.timeouts).toBe(1);
    // getBulk() itself is not changed by the fallback: it still times out.
    await expect(session.getBulk([ROOT])).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('walk(root, { getBulk: false }) and useGetBulk: false walk with GETNEXT from the start, no timeout', async () => {
    const { types, open } = await agent(noBulk);
    const session = await open();
    expect(await session.walkAll(ROOT, { getBulk: false })).toEqual(DATA);
    expect(types.every((t) => t === 'GetNextRequest')).toBe(true);
    const second = await open({ useGetBulk: false });
    expect(await second.walkAll(ROOT)).toEqual(DATA);
    expect(types.every((t) => t === 'GetNextRequest')).toBe(true);
    expect(session.stats.timeouts + second.stats.timeouts).toBe(0);
  });

  it('getBulk: true forces GETBULK with the session retries, no fallback', async () => {
    const { types, open } = await agent(noBulk);
    const session = await open();
    await expect(session.walkAll(ROOT, { getBulk: true })).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(types).toEqual(['GetBulkRequest', 'GetBulkRequest', 'GetBulkRequest']);
  });

  it('an agent that answers nothing: the GETNEXT times out too, with RequestTimeoutError', async () => {
    const { types, open } = await agent(() => true);
    const session = await open();
    await expect(session.walkAll(ROOT)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(types).toEqual(['GetBulkRequest', 'GetNextRequest', 'GetNextRequest', 'GetNextRequest']);
    // Nothing learnt: the next walk probes again.
    types.length = 0;
    await expect(session.walkAll(ROOT)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(types[0]).toBe('GetBulkRequest');
  });

  it('once a GETBULK is answered the session trusts it: a lost first GETBULK is retried, not replaced', async () => {
    let dropNextBulk = false;
    const { types, open } = await agent((type) => {
      if (type === 'GetBulkRequest' && dropNextBulk) {
        dropNextBulk = false;
        return true;
      }
      return false;
    });
    const session = await open();
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    dropNextBulk = true;
    types.length = 0;
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    expect(types.every((t) => t === 'GetBulkRequest')).toBe(true);
    expect(session.stats).toMatchObject({ timeouts: 0, retransmissions: 1 });
  });

  it('breaking out of a walk during the fallback stops it: nothing more is sent', async () => {
    const { types, open } = await agent(noBulk);
    const session = await open();
    for await (const vb of session.walk(ROOT)) {
      expect(vb).toEqual(DATA[0]);
      break;
    }
    expect(session.pending).toBe(0); // the read-ahead GETNEXT, sent with the first page, was cancelled
    await new Promise((r) => setTimeout(r, 250));
    expect(types).toEqual(['GetBulkRequest', 'GetNextRequest', 'GetNextRequest']);
    expect(session.stats.retransmissions).toBe(0);
  });
});
