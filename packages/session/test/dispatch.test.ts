import { type BasicPdu, type CommunityMessage, decodeMessage, encodeMessage, SnmpValue } from '@snmpkit/ber';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GeneralError,
  type MessageProcessingModel,
  RequestAbortedError,
  RequestTimeoutError,
  SESSION_DEFAULTS,
  Session,
  SessionClosedError,
  type SessionOptions,
  totalWaitMs,
} from '../src/index.js';
import { FakeTransport, responseTo } from './helpers.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const text = (s: string) => SnmpValue.octetString(s);

async function open(options: Partial<SessionOptions> = {}) {
  const transport = new FakeTransport();
  const session = await Session.open({ peer: '127.0.0.1:161', transport, timeout: 100, retries: 3, ...options });
  return { transport, session };
}

describe('dispatch (in-memory transport, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits timeout, then timeout*backoff^n before each retry, and fails with RequestTimeoutError', async () => {
    const { transport, session } = await open({ timeout: 100, retries: 3, backoff: 2 });
    const result = session.get([SYS_DESCR]).catch((e: unknown) => e);
    const sendTimes: number[] = [];
    const start = Date.now();
    transport.onSend = () => sendTimes.push(Date.now() - start);
    expect(transport.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(transport.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1500);
    // sends at 0, 100, 300 (100+200), 700 (300+400); fails at 1500 (700+800)
    expect(sendTimes).toEqual([100, 300, 700]);
    const error = await result;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'ERR_SNMP_TIMEOUT', attempts: 4, waitedMs: 1500 });
    expect((error as Error).message).toBe('Timeout: No Response from 127.0.0.1:161.');
    // v1/v2c retries resend the same bytes (the same request-id)
    expect(new Set(transport.sent.map((b) => Buffer.from(b).toString('hex'))).size).toBe(1);
    expect(session.stats).toMatchObject({ requests: 1, retransmissions: 3, timeouts: 1, responses: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with the defaults a dead agent fails a request after 8.125 s (1 + 1.5 + 2.25 + 3.375), as the README says', async () => {
    const transport = new FakeTransport();
    const defaults = await Session.open({ transport });
    const sendTimes: number[] = [];
    const start = Date.now();
    transport.onSend = () => sendTimes.push(Date.now() - start);
    let settled = false;
    const result = defaults
      .get([SYS_DESCR])
      .catch((e: unknown) => e)
      .finally(() => {
        settled = true;
      });
    await vi.advanceTimersByTimeAsync(8124);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(await result).toMatchObject({ attempts: 4, waitedMs: 8125 });
    expect(sendTimes).toEqual([0, 1000, 2500, 4750]);
    expect(totalWaitMs(SESSION_DEFAULTS)).toBe(8125);
    expect(transport.sent).toHaveLength(4);
  });

  it("backoff 1 with 5 retries (Net-SNMP's tools) fails after 6 s; backoff 2 (the raw facade's seed timing) after 63 s", async () => {
    const constant = await Session.open({ transport: new FakeTransport(), retries: 5, backoff: 1 });
    const fast = constant.get([SYS_DESCR]).catch((e: unknown) => e);
    const doubling = await Session.open({ transport: new FakeTransport(), retries: 5, backoff: 2 });
    const slow = doubling.get([SYS_DESCR]).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(63_000);
    expect(await fast).toMatchObject({ attempts: 6, waitedMs: 6000 });
    expect(await slow).toMatchObject({ attempts: 6, waitedMs: 63_000 });
    expect(totalWaitMs({ timeout: 1000, retries: 5, backoff: 1 })).toBe(6000);
    expect(totalWaitMs({ timeout: 1000, retries: 5, backoff: 2 })).toBe(63_000);
  });

  it('backoff 1 waits the same time before every retry (Net-SNMP constant)', async () => {
    const { transport, session } = await open({ timeout: 100, retries: 2, backoff: 1 });
    const result = session.get([SYS_DESCR]).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ attempts: 3, waitedMs: 300 });
  });

  it("caps each attempt's wait at 2^31-1 ms (Node's longest timer) rather than letting the timer fire at once", async () => {
    const MAX = 2 ** 31 - 1;
    const { transport, session } = await open({ timeout: 100, retries: 2, backoff: 2 ** 30 });
    const result = session.get([SYS_DESCR]).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.sent).toHaveLength(2);
    // 100 * 2^30 ms would overflow the timer: it waits 2^31-1 ms instead of failing at 102 ms.
    await vi.advanceTimersByTimeAsync(1000);
    expect(transport.sent).toHaveLength(2);
    expect(session.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(MAX - 1000);
    expect(transport.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(MAX);
    expect(await result).toMatchObject({ attempts: 3, waitedMs: 100 + 2 * MAX });
  });

  it('a doubling backoff with many retries keeps waiting once the doubling passes 2^31-1 ms', async () => {
    const MAX = 2 ** 31 - 1;
    const { transport, session } = await open({ timeout: 5000, retries: 20, backoff: 2 });
    const sendTimes: number[] = [];
    const start = Date.now();
    transport.onSend = () => sendTimes.push(Date.now() - start);
    const result = session.get([SYS_DESCR]).catch((e: unknown) => e);
    // 5000 * 2^19 ms is past the limit: attempts 19 and 20 wait 2^31-1 ms each, none fires at once.
    for (let i = 0; i < 21; i++) await vi.advanceTimersByTimeAsync(MAX);
    expect(sendTimes).toHaveLength(21);
    const waits = sendTimes.slice(1).map((t, i) => t - sendTimes[i]!);
    expect(waits.slice(0, 3)).toEqual([5000, 10_000, 20_000]);
    expect(waits.slice(-2)).toEqual([5000 * 2 ** 18, MAX]);
    const error = await result;
    expect(error).toMatchObject({ attempts: 21 });
    expect((error as { waitedMs: number }).waitedMs).toBe(5000 * (2 ** 19 - 1) + 2 * MAX);
  });

  it('refuses a timeout longer than 2^31-1 ms at open', async () => {
    await expect(open({ timeout: 2 ** 31 })).rejects.toThrow(
      "Generic error: option timeout must be at most 2147483647 ms (2^31-1, about 24.8 days: Node's longest timer), got 2147483648",
    );
    await expect(open({ timeout: 2 ** 31 - 1 })).resolves.toBeDefined();
  });

  it('accepts a late reply to the first attempt after a retry, and drops its duplicate', async () => {
    const { transport, session } = await open();
    const result = session.get([SYS_DESCR]);
    await vi.advanceTimersByTimeAsync(150); // one retransmission
    expect(transport.sent).toHaveLength(2);
    const reply = responseTo(transport.sent[0]!, [{ oid: SYS_DESCR, value: text('late') }]);
    transport.deliver(reply);
    await expect(result).resolves.toEqual([{ oid: SYS_DESCR, value: text('late') }]);
    transport.deliver(reply); // the reply to the second attempt, or a duplicate
    expect(session.stats).toMatchObject({ requests: 1, retransmissions: 1, responses: 1, droppedUnknownId: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops replies from another address or port, with unknown ids, undecodable or unexpected', async () => {
    const { transport, session } = await open();
    const result = session.get([SYS_DESCR]);
    const request = transport.sent[0]!;
    const good = responseTo(request, [{ oid: SYS_DESCR, value: text('ok') }]);
    transport.deliver(good, { address: '127.0.0.2', port: 161 });
    transport.deliver(good, { address: '127.0.0.1', port: 1161 });
    const realId = (transport.request().pdu as { requestId: number }).requestId;
    const spoofed = responseTo(request, undefined, 0, 0, { requestId: realId ^ 1 });
    transport.deliver(spoofed);
    transport.deliver(new Uint8Array([0x30, 0x03, 0x02, 0x01]));
    transport.deliver(responseTo(request, undefined, 0, 0, { type: 'GetRequest' }));
    const v1 = encodeMessage({
      version: 0,
      community: 'public',
      pdu: { ...(transport.request().pdu as BasicPdu), type: 'Response' },
    });
    transport.deliver(v1);
    expect(session.pending).toBe(1);
    expect(session.stats).toMatchObject({
      droppedWrongSource: 2,
      droppedUnknownId: 1,
      droppedUndecodable: 1,
      droppedUnexpected: 2,
      responses: 0,
    });
    transport.deliver(good);
    await expect(result).resolves.toEqual([{ oid: SYS_DESCR, value: text('ok') }]);
  });

  it('takes a reply with bytes after its end (ignored, as Net-SNMP) and counts it in stats.trailingBytes', async () => {
    const { transport, session } = await open();
    const result = session.get([SYS_DESCR]);
    const reply = responseTo(transport.sent[0]!, [{ oid: SYS_DESCR, value: text('padded') }]);
    transport.deliver(Uint8Array.from([...reply, 0, 0, 0, 0]));
    await expect(result).resolves.toEqual([{ oid: SYS_DESCR, value: text('padded') }]);
    // A padded message the session does not want is dropped as before, and counted here too.
    transport.deliver(Uint8Array.from([...reply, 0xff]));
    expect(session.stats).toMatchObject({ responses: 1, trailingBytes: 2, droppedUnknownId: 1, droppedUndecodable: 0 });
  });

  it('counts replies after a timeout as late, and remembers only the last 1,024 abandoned requests', async () => {
    const { transport, session } = await open({ retries: 0 });
    const results = Array.from({ length: 1025 }, () => session.get([SYS_DESCR]).catch(() => undefined));
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(results);
    expect(session.stats.timeouts).toBe(1025);
    // The newest abandoned requests are remembered; the oldest one has been forgotten.
    transport.deliver(responseTo(transport.sent[1024]!));
    transport.deliver(responseTo(transport.sent[1]!));
    expect(session.stats).toMatchObject({ droppedLate: 2, droppedUnknownId: 0 });
    transport.deliver(responseTo(transport.sent[0]!));
    expect(session.stats).toMatchObject({ droppedLate: 2, droppedUnknownId: 1 });
  });

  it('gives every request in flight its own random request-id', async () => {
    const { transport, session } = await open({ retries: 0 });
    const results = Array.from({ length: 2000 }, () => session.get([SYS_DESCR]).catch(() => undefined));
    const ids = transport.sent.map((_, i) => (transport.request(i).pdu as { requestId: number }).requestId);
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id >= 0 && id <= 0x7fffffff).toBe(true);
    // random, not sequential: consecutive ids rarely differ by one
    const sequential = ids.slice(1).filter((id, i) => id === ids[i]! + 1).length;
    expect(sequential).toBeLessThan(5);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(results);
    expect(session.stats.timeouts).toBe(2000);
  });

  it('answers each of many requests in flight with its own reply, in any order', async () => {
    const { transport, session } = await open();
    const oids = Array.from({ length: 50 }, (_, i) => `1.3.6.1.4.1.99.${i}`);
    const results = oids.map((oid) => session.get([oid]));
    for (let i = transport.sent.length - 1; i >= 0; i--) {
      const request = transport.request(i);
      transport.deliver(
        responseTo(transport.sent[i]!, [{ oid: request.pdu.varbinds[0]!.oid, value: SnmpValue.integer(i) }]),
      );
    }
    const values = await Promise.all(results);
    expect(values).toEqual(oids.map((oid, i) => [{ oid, value: SnmpValue.integer(i) }]));
  });

  it('aborts a request with its AbortSignal; a reply after that is dropped', async () => {
    const { transport, session } = await open();
    const controller = new AbortController();
    const result = session.get([SYS_DESCR], { signal: controller.signal });
    const other = session.get([SYS_DESCR]);
    controller.abort(new Error('user gave up'));
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(error).toMatchObject({ code: 'ERR_SNMP_ABORTED', snmpError: { name: 'SNMPERR_ABORT', number: -22 } });
    expect((error as Error).cause).toEqual(new Error('user gave up'));
    transport.deliver(responseTo(transport.sent[0]!));
    // the session's own abandoned request: a late reply, not an unknown request-id
    expect(session.stats).toMatchObject({ droppedLate: 1, droppedUnknownId: 0 });
    expect(session.pending).toBe(1); // the other request is untouched
    transport.deliver(responseTo(transport.sent[1]!));
    await other;
    // an already aborted signal: nothing is sent
    const before = transport.sent.length;
    await expect(session.get([SYS_DESCR], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(transport.sent.length).toBe(before);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() rejects what is pending with SessionClosedError, clears timers and closes the transport', async () => {
    const { transport, session } = await open();
    const a = session.get([SYS_DESCR]).catch((e: unknown) => e);
    const b = session.walkAll('1.3.6.1.2.1.1').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(session.pending).toBe(2);
    await session.close();
    for (const error of [await a, await b]) {
      expect(error).toBeInstanceOf(SessionClosedError);
      expect(error).toMatchObject({
        code: 'ERR_SNMP_SESSION_CLOSED',
        snmpError: { name: 'SNMPERR_BAD_SESSION', number: -4 },
      });
    }
    expect(transport.closed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(session.closed).toBe(true);
    await expect(session.get([SYS_DESCR])).rejects.toBeInstanceOf(SessionClosedError);
    expect(transport.sent).toHaveLength(2);
  });

  it('a send failure fails that request with SNMPERR_BAD_SENDTO and the system error', async () => {
    const { transport, session } = await open();
    transport.onSend = (_m, fail) => fail(Object.assign(new Error('send EMSGSIZE'), { code: 'EMSGSIZE', errno: -90 }));
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneralError);
    expect(error).toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_SENDTO', number: -12 },
      systemError: 'EMSGSIZE',
      systemErrno: -90,
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a transport whose send throws fails that request, including on a retry from a timer', async () => {
    const { transport, session } = await open({ timeout: 100, retries: 2 });
    let sends = 0;
    transport.onSend = () => {
      if (++sends === 2) throw Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
    };
    const result = session.get([SYS_DESCR]).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_SENDTO' },
      systemError: 'ERR_SOCKET_DGRAM_NOT_RUNNING',
    });
    expect(vi.getTimerCount()).toBe(0);
    expect(session.pending).toBe(0);
  });

  it("request(pdu) sends the PDU as given, with a fresh request-id, without changing the caller's object", async () => {
    const { transport, session } = await open();
    const pdu = {
      type: 'GetRequest' as const,
      requestId: 42,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: SYS_DESCR, value: SnmpValue.null() }],
    };
    const result = session.request(pdu);
    const sent = transport.request().pdu as BasicPdu;
    expect(sent.varbinds).toEqual(pdu.varbinds);
    expect(pdu.requestId).toBe(42);
    transport.deliver(responseTo(transport.sent[0]!, undefined, 5, 1));
    // the raw response, error-status and all
    expect(await result).toMatchObject({ type: 'Response', requestId: sent.requestId, errorStatus: 5, errorIndex: 1 });
  });

  it('a transport failure (TCP connection lost) fails everything in flight', async () => {
    const { transport, session } = await open();
    const a = session.get([SYS_DESCR]).catch((e: unknown) => e);
    const b = session.get([SYS_DESCR]).catch((e: unknown) => e);
    transport.fail(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 }));
    for (const error of [await a, await b]) {
      expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_RECVFROM' }, systemError: 'ECONNRESET' });
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a message processing model can fail a request or have it resent (the v3 report hooks)', async () => {
    // A model that answers request-ids from a table: v3 will do this for Reports.
    const verdicts = new Map<number, 'fail' | 'resend'>();
    const encodedAttempts: number[] = [];
    const model: MessageProcessingModel = {
      wireVersion: 1,
      reencodeRetries: false,
      encodeRequest: (pdu, attempt) => {
        encodedAttempts.push(attempt);
        return encodeMessage({ version: 1, community: 'public', pdu });
      },
      decodeIncoming: (bytes) => {
        const pdu = (decodeMessage(bytes) as CommunityMessage).pdu as BasicPdu;
        const verdict = verdicts.get(pdu.requestId);
        if (verdict === 'fail')
          return { kind: 'failure', requestId: pdu.requestId, error: new GeneralError('SNMPERR_UNKNOWN_USER_NAME') };
        if (verdict === 'resend') return { kind: 'resend', requestId: pdu.requestId };
        return { kind: 'response', requestId: pdu.requestId, pdu };
      },
    };
    const { transport, session } = await open({ messageProcessing: model, retries: 0 });
    const failing = session.get([SYS_DESCR]).catch((e: unknown) => e);
    const id = (transport.request().pdu as BasicPdu).requestId;
    verdicts.set(id, 'fail');
    transport.deliver(responseTo(transport.sent[0]!));
    expect(await failing).toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_USER_NAME', number: -33 } });

    const resent = session.get([SYS_DESCR]);
    const id2 = (transport.request().pdu as BasicPdu).requestId;
    verdicts.set(id2, 'resend');
    transport.deliver(responseTo(transport.sent[1]!));
    expect(transport.sent).toHaveLength(3); // sent again at once, encoded afresh
    expect(encodedAttempts).toEqual([0, 0, 0]);
    verdicts.delete(id2);
    transport.deliver(responseTo(transport.sent[2]!));
    await expect(resent).resolves.toHaveLength(1);

    // a model that keeps asking for resends is cut short
    const endless = session.get([SYS_DESCR]).catch((e: unknown) => e);
    verdicts.set((transport.request().pdu as BasicPdu).requestId, 'resend');
    for (let i = 0; i < 4; i++) transport.deliver(responseTo(transport.sent[transport.sent.length - 1]!));
    expect(await endless).toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_REPORT' } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('without a peer, an injected transport accepts replies from any source', async () => {
    const transport = new FakeTransport();
    const session = await Session.open({ transport });
    const result = session.get([SYS_DESCR]);
    transport.deliver(responseTo(transport.sent[0]!), { address: '10.9.8.7', port: 4000 });
    await expect(result).resolves.toHaveLength(1);
    expect(session.peer).toBe('(transport)');
  });
});
