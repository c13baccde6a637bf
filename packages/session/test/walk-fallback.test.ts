import { type BasicPdu, type CommunityMessage, encodeMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { Agent, Device, VirtualClock } from '@snmpkit/simulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestTimeoutError, Session, type SessionOptions } from '../src/index.js';
import { RETRY_BULK_AFTER_WALKS, UNANSWERED_PROBES_FOR_FALLBACK } from '../src/walk.js';
import { tinyMemoryAgent } from './helpers.js';

/**
 * Walks against agents that never answer GETBULK (snmpjs) or refuse it, and against agents that do but lose a
 * datagram: `getBulk: false`, `useGetBulk: false`, and the automatic fallback — while the session does not know,
 * each GETBULK gets one attempt and a GETNEXT of the same OID follows a failed one; the session falls back to GETNEXT
 * only on evidence (an error response, or UNANSWERED_PROBES_FOR_FALLBACK unanswered in a row), and tries GETBULK
 * again after RETRY_BULK_AFTER_WALKS walks.
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

/** A genErr Response (error-index 1) to a request, as agents without a GETBULK handler answer GETBULK. */
function genErrTo(request: CommunityMessage): Uint8Array {
  const { requestId, varbinds } = request.pdu as BasicPdu;
  const pdu: BasicPdu = { type: 'Response', requestId, errorStatus: 5, errorIndex: 1, varbinds };
  return encodeMessage({ version: request.version, community: request.community, pdu });
}

/** The first PDU types of a walk on an agent that drops GETBULK: each probe (one attempt) and its GETNEXT. */
const PROBES = Array.from({ length: UNANSWERED_PROBES_FOR_FALLBACK }, () => [
  'GetBulkRequest',
  'GetNextRequest',
]).flat();

describe('walks on an agent without GETBULK', () => {
  it('falls back after 3 unanswered GETBULKs whose GETNEXTs were answered, then GETNEXT; remembered', async () => {
    expect(UNANSWERED_PROBES_FOR_FALLBACK).toBe(3);
    const { types, open } = await agent(noBulk);
    const session = await open();
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    // Each step probes with one GETBULK (no retry of it) and its GETNEXT, three times; then GETNEXTs: 25 varbinds
    // and the one that leaves the subtree.
    expect(types).toEqual([...PROBES, ...Array(26 - UNANSWERED_PROBES_FOR_FALLBACK).fill('GetNextRequest')]);
    expect(session.stats).toMatchObject({ timeouts: 3, retransmissions: 0 });
    // The session remembers: the next walk and table() go straight to GETNEXT.
    types.length = 0;
    expect(await session.walkAll(`${ROOT}.2`)).toEqual([DATA[1]]);
    expect(types.every((t) => t !== 'GetBulkRequest')).toBe(true);
    expect(session.stats.timeouts).toBe(3);
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
    expect(session.pending).toBe(0); // the read-ahead probe, sent with the first page, was cancelled
    await new Promise((r) => setTimeout(r, 250));
    expect(types).toEqual(['GetBulkRequest', 'GetNextRequest', 'GetBulkRequest']);
    expect(session.stats.retransmissions).toBe(0);
  });

  it('an agent that refuses GETBULK with an error response: the session falls back at once, no timeout', async () => {
    const { types, open } = await agent(() => false);
    const refusing = tinyMemoryAgent([...DATA, AFTER], (request: CommunityMessage) => {
      types.push(request.pdu.type);
      return request.pdu.type === 'GetBulkRequest' ? genErrTo(request) : undefined;
    });
    const session = await open({ transport: refusing.transport });
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    expect(types).toEqual(['GetBulkRequest', ...Array(26).fill('GetNextRequest')]);
    expect(session.stats.timeouts).toBe(0);
    types.length = 0;
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    expect(types.every((t) => t === 'GetNextRequest')).toBe(true);
  });

  it('an error to the GETNEXT as well is the walk’s error, and nothing is learnt', async () => {
    const types: string[] = [];
    const failing = tinyMemoryAgent([...DATA, AFTER], (request) => {
      types.push(request.pdu.type);
      return genErrTo(request);
    });
    const session = await Session.open({ transport: failing.transport, timeout: 80, retries: 0 });
    cleanup.push(() => session.close());
    await expect(session.walkAll(ROOT)).rejects.toMatchObject({ statusName: 'genErr' });
    types.length = 0;
    await expect(session.walkAll(ROOT)).rejects.toMatchObject({ statusName: 'genErr' });
    expect(types).toEqual(['GetBulkRequest', 'GetNextRequest']);
  });

  it(`after the fallback, every ${RETRY_BULK_AFTER_WALKS}th walk tries GETBULK again: one more miss falls back, an answer returns to GETBULK`, async () => {
    let bulkAnswered = false;
    const { types, open } = await agent((type) => type === 'GetBulkRequest' && !bulkAnswered);
    const session = await open();
    await session.walkAll(ROOT);
    expect(session.stats.timeouts).toBe(UNANSWERED_PROBES_FOR_FALLBACK);
    const walkTypes = async () => {
      types.length = 0;
      expect(await session.walkAll(`${ROOT}.2`)).toEqual([DATA[1]]);
      return [...new Set(types)];
    };
    for (let walk = 1; walk < RETRY_BULK_AFTER_WALKS; walk++) expect(await walkTypes()).toEqual(['GetNextRequest']);
    // The retry: one unanswered GETBULK is enough now (the evidence stands), so it costs one timeout.
    types.length = 0;
    await session.walkAll(`${ROOT}.2`);
    expect(types).toEqual(['GetBulkRequest', 'GetNextRequest', 'GetNextRequest']);
    expect(session.stats.timeouts).toBe(UNANSWERED_PROBES_FOR_FALLBACK + 1);
    for (let walk = 1; walk < RETRY_BULK_AFTER_WALKS; walk++) expect(await walkTypes()).toEqual(['GetNextRequest']);
    // The agent was upgraded: the next retry finds GETBULK answered, and walks use it from then on.
    bulkAnswered = true;
    expect(await walkTypes()).toEqual(['GetBulkRequest']);
    expect(await walkTypes()).toEqual(['GetBulkRequest']);
  });
});

describe('a lost datagram is not evidence', () => {
  /**
   * The simulator's fault injection drops the first datagram it receives: the first GETBULK of the session's first
   * walk. setTimeout is faked (the session's timers), so the timeout fires when the test says, after every message
   * in flight has arrived (agent.settled()): nothing depends on the machine's speed.
   */
  async function lossyAgent(faults: string) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    cleanup.push(async () => {
      vi.useRealTimers();
    });
    const simulated = new Agent({
      device: Device.fromSnmprec(
        DATA.concat(AFTER)
          .map((vb) => `${vb.oid}|2|${vb.value.type === 'Integer' ? vb.value.value : 0}`)
          .join('\n'),
      ),
      clock: new VirtualClock(0),
      faults,
    });
    cleanup.push(() => simulated.close());
    const session = await Session.open({
      transport: simulated.connect(),
      timeout: 1000,
      retries: 2,
      maxRepetitions: 10,
    });
    cleanup.push(async () => session.close());
    /** Runs `work` to its end, firing the session's timers only when nothing else is in flight. */
    const drive = async <T>(work: Promise<T>): Promise<T> => {
      let done = false;
      const settled = work.finally(() => {
        done = true;
      });
      settled.catch(() => {});
      for (;;) {
        await simulated.settled();
        if (done) break;
        vi.advanceTimersToNextTimer();
      }
      return work;
    };
    return { agent: simulated, session, drive };
  }

  it('the first GETBULK of the first walk lost: that step goes by GETNEXT, the next probe is answered, GETBULK stays', async () => {
    const { agent: simulated, session, drive } = await lossyAgent('drop=first:1');
    expect(await drive(session.walkAll(ROOT))).toEqual(DATA);
    expect(simulated.stats.faults).toMatchObject({ dropped: 1 });
    // The lost GETBULK (one attempt, timed out), one GETNEXT for that step, then GETBULKs of 10: 1 + 10 + 10 + 4.
    expect(simulated.stats.requests).toEqual({ GetBulkRequest: 4, GetNextRequest: 1 });
    expect(session.stats).toMatchObject({ timeouts: 1, retransmissions: 0 });
    // Later walks use GETBULK from the start, with the session's retries.
    for (let walk = 0; walk < 3; walk++) expect(await drive(session.walkAll(ROOT))).toEqual(DATA);
    expect(simulated.stats.requests).toEqual({ GetBulkRequest: 4 + 3 * 3, GetNextRequest: 1 });
    expect(session.stats.timeouts).toBe(1);
  });

  it(`${UNANSWERED_PROBES_FOR_FALLBACK - 1} GETBULKs lost in a row are not enough either`, async () => {
    let lost = 0;
    const { types, open } = await agent(
      (type) => type === 'GetBulkRequest' && ++lost <= UNANSWERED_PROBES_FOR_FALLBACK - 1,
    );
    const session = await open();
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    expect(types.slice(0, 5)).toEqual([
      'GetBulkRequest',
      'GetNextRequest',
      'GetBulkRequest',
      'GetNextRequest',
      'GetBulkRequest',
    ]);
    types.length = 0;
    expect(await session.walkAll(ROOT)).toEqual(DATA);
    expect(types.every((t) => t === 'GetBulkRequest')).toBe(true);
    expect(session.stats.timeouts).toBe(UNANSWERED_PROBES_FOR_FALLBACK - 1);
  });
});
