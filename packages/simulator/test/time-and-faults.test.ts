import { type BasicPdu, decodeMessage, encodeMessage } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  type ClientTransport,
  Device,
  ErrorStatus,
  FaultSpecError,
  parseFaultSpec,
  VirtualClock,
} from '../src/index.js';
import { ask, getPdu, show } from './helpers.js';

const DATA = `1.3.6.1.2.1.1.1.0|4|dev
1.3.6.1.2.1.1.3.0|67|1000
1.3.6.1.2.1.2.2.1.10.1|65:numeric|initial=100,rate=10
1.3.6.1.2.1.2.2.1.10.2|65:numeric|initial=4294967290,rate=1,wrap=1
1.3.6.1.2.1.2.2.1.11.1|70:numeric|initial=5,rate=2,increasing=1
1.3.6.1.2.1.2.2.1.20.1|4:delay|value=slow,wait=2000
1.3.6.1.2.1.2.2.1.21.1|2:error|op=get,status=genErr,value=1
`;

function virtualAgent(faults?: string) {
  const clock = new VirtualClock();
  const agent = new Agent({ device: Device.fromSnmprec(DATA), clock, ...(faults ? { faults } : {}) });
  return { clock, agent };
}

/** Sends a request and lets the event loop deliver whatever is due, without moving the virtual clock. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('virtual clock', () => {
  it('drives sysUpTime and numeric counters, including the Counter32 wrap', async () => {
    const { clock, agent } = virtualAgent();
    const read = async () =>
      show(
        (
          await ask(
            agent,
            getPdu(
              'GetRequest',
              '1.3.6.1.2.1.1.3.0',
              '1.3.6.1.2.1.2.2.1.10.1',
              '1.3.6.1.2.1.2.2.1.10.2',
              '1.3.6.1.2.1.2.2.1.11.1',
            ),
          )
        ).varbinds,
      );
    expect(await read()).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:1000',
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:100',
      '1.3.6.1.2.1.2.2.1.10.2 = Counter32:4294967290',
      '1.3.6.1.2.1.2.2.1.11.1 = Counter64:5',
    ]);
    clock.advance(10_000);
    expect(await read()).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:2000',
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:200',
      // snmpsim's wrap: 4294967300 mod max (4294967295), plus min (0).
      '1.3.6.1.2.1.2.2.1.10.2 = Counter32:5',
      '1.3.6.1.2.1.2.2.1.11.1 = Counter64:25',
    ]);
  });

  it('holds a delayed response until the clock reaches it', async () => {
    const { clock, agent } = virtualAgent();
    let reply: Uint8Array | undefined;
    void agent
      .request(encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.2.2.1.20.1') }))
      .then((r) => {
        reply = r;
      });
    clock.advance(1999);
    await settle();
    expect(reply).toBeUndefined();
    clock.advance(1);
    await settle();
    const m = decodeMessage(reply!);
    expect(m.version !== 3 && show(m.pdu.varbinds)).toEqual(['1.3.6.1.2.1.2.2.1.20.1 = OctetString:slow']);
  });

  it('fires timers in due order, also those set while firing', () => {
    const clock = new VirtualClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.advance(30);
    expect(fired).toEqual(['a@110', 'c@115', 'b@120']);
    expect(clock.now()).toBe(130);
    expect(clock.pending).toBe(0);
  });
});

describe('error variation', () => {
  it('answers its error-status with the varbind index', async () => {
    const { agent } = virtualAgent();
    const r = await ask(agent, getPdu('GetRequest', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.2.2.1.21.1'));
    expect(r.errorStatus).toBe(ErrorStatus.genErr);
    expect(r.errorIndex).toBe(2);
  });
});

describe('fault spec', () => {
  it('parses the compact syntax', () => {
    expect(
      parseFaultSpec(
        'seed=7,drop=10%,delay=50+20;duplicate=first:2,reorder=0.5,corrupt=0.01,truncate=first:1,wrong-id=0.2',
        'error=genErr@1.3.6.1.2.1.2,error=noAccess@.1.3.6.1.2.1.1.5.0,boots-jump=1@10,time-jump=-600@3,restart@20',
      ),
    ).toEqual({
      seed: 7,
      drop: { probability: 0.1 },
      delay: { fixedMs: 50, jitterMs: 20 },
      duplicate: { first: 2 },
      reorder: { probability: 0.5 },
      corrupt: { probability: 0.01 },
      truncate: { first: 1 },
      wrongRequestId: { probability: 0.2 },
      errors: [
        { status: 'genErr', oid: '1.3.6.1.2.1.2' },
        { status: 'noAccess', oid: '1.3.6.1.2.1.1.5.0' },
      ],
      bootsJump: { by: 1, afterRequests: 10 },
      timeJump: { seconds: -600, afterRequests: 3 },
      restart: { afterRequests: 20 },
    });
  });

  it('says what is wrong with a bad spec', () => {
    expect(() => parseFaultSpec('drop=2')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('delay=soon')).toThrow(/MS\+JITTER/);
    expect(() => parseFaultSpec('error=oops@1.3')).toThrow(/STATUS@OID/);
    expect(() => parseFaultSpec('explode=1')).toThrow(/unknown fault "explode"/);
  });
});

async function exchange(agent: Agent, count: number): Promise<(Uint8Array | undefined)[]> {
  const replies: (Uint8Array | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    replies.push(
      await agent.request(
        encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') }),
        50,
      ),
    );
  }
  return replies;
}

describe('faults', () => {
  it('drops the first N requests, and is the same from the same seed', async () => {
    const first = new Agent({ device: Device.fromSnmprec(DATA), faults: 'drop=first:2' });
    const replies = await exchange(first, 4);
    expect(replies.map((r) => r !== undefined)).toEqual([false, false, true, true]);
    expect(first.stats.faults.dropped).toBe(2);
    expect(first.stats.received).toBe(4);
    expect(first.stats.answered).toBe(2);

    const pattern = async () =>
      (await exchange(new Agent({ device: Device.fromSnmprec(DATA), faults: 'seed=42,drop=0.5' }), 12)).map(
        (r) => r !== undefined,
      );
    const a = await pattern();
    expect(await pattern()).toEqual(a);
    expect(a.filter(Boolean).length).toBeGreaterThan(0);
    expect(a.filter((x) => !x).length).toBeGreaterThan(0);
  });

  it('delays responses by fixed plus jitter on the agent clock', async () => {
    const clock = new VirtualClock();
    const agent = new Agent({ device: Device.fromSnmprec(DATA), clock, faults: 'delay=100+50' });
    let got = false;
    void agent
      .request(encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') }))
      .then(() => {
        got = true;
      });
    clock.advance(99);
    await settle();
    expect(got).toBe(false);
    clock.advance(51);
    await settle();
    expect(got).toBe(true);
  });

  it('corrupts, truncates and changes request-ids of responses', async () => {
    const corrupt = new Agent({ device: Device.fromSnmprec(DATA), faults: 'corrupt=first:1' });
    const clean = (await exchange(new Agent({ device: Device.fromSnmprec(DATA) }), 1))[0]!;
    const [bad] = await exchange(corrupt, 1);
    expect(bad!.length).toBe(clean.length);
    expect(Buffer.compare(bad!, clean)).not.toBe(0);

    const [short] = await exchange(new Agent({ device: Device.fromSnmprec(DATA), faults: 'truncate=1' }), 1);
    expect(short!.length).toBeLessThan(clean.length);

    const agent = new Agent({ device: Device.fromSnmprec(DATA), faults: 'wrong-id=1' });
    const pdu = getPdu('GetRequest', '1.3.6.1.2.1.1.1.0');
    const reply = decodeMessage((await agent.request(encodeMessage({ version: 1, community: 'public', pdu })))!);
    expect(reply.version !== 3 && reply.pdu.type !== 'TrapV1' && reply.pdu.requestId).toBe(
      pdu.type !== 'TrapV1' && pdu.requestId + 1,
    );
    expect(agent.stats.faults.wrongRequestIds).toBe(1);
  });

  it('duplicates and reorders responses on a connection', async () => {
    const agent = new Agent({ device: Device.fromSnmprec(DATA), faults: 'duplicate=first:1,reorder=first:1' });
    const transport = agent.connect();
    const ids: number[] = [];
    transport.onMessage((bytes) => {
      const m = decodeMessage(bytes);
      if (m.version !== 3 && m.pdu.type !== 'TrapV1') ids.push(m.pdu.requestId);
    });
    const a = getPdu('GetRequest', '1.3.6.1.2.1.1.1.0');
    const b = getPdu('GetRequest', '1.3.6.1.2.1.1.1.0');
    transport.send(encodeMessage({ version: 1, community: 'public', pdu: a }));
    transport.send(encodeMessage({ version: 1, community: 'public', pdu: b }));
    for (let i = 0; i < 5; i++) await settle();
    const idOf = (p: typeof a) => (p.type === 'TrapV1' ? -1 : p.requestId);
    // a is held back (reorder) and sent twice (duplicate) after b.
    expect(ids).toEqual([idOf(b), idOf(a), idOf(a)]);
    transport.close();
    await agent.close();
  });

  it('injects an error-status for OIDs under a prefix', async () => {
    const agent = new Agent({ device: Device.fromSnmprec(DATA), faults: 'error=resourceUnavailable@1.3.6.1.2.1.2' });
    const r = await ask(agent, getPdu('GetNextRequest', '1.3.6.1.2.1.1.3.0'));
    expect(r.errorStatus).toBe(ErrorStatus.resourceUnavailable);
    expect(r.errorIndex).toBe(1);
    expect(agent.stats.faults.injectedErrors).toBe(1);
  });

  it('restarts after N requests: boots + 1, sysUpTime and counters from the start', async () => {
    const clock = new VirtualClock();
    const agent = new Agent({ device: Device.fromSnmprec(DATA), clock, faults: 'restart@3' });
    clock.advance(5000);
    const counter = await ask(agent, getPdu('GetRequest', '1.3.6.1.2.1.2.2.1.11.1'));
    expect(show(counter.varbinds)).toEqual(['1.3.6.1.2.1.2.2.1.11.1 = Counter64:15']);
    const before = agent.engineClock;
    expect(before).toEqual({ boots: 1, time: 5 });
    await exchange(agent, 2);
    expect(agent.engineClock).toEqual({ boots: 2, time: 0 });
    expect(agent.stats.faults.restarts).toBe(1);
    const r = await ask(agent, getPdu('GetRequest', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.2.2.1.11.1'));
    expect(show(r.varbinds)).toEqual(['1.3.6.1.2.1.1.3.0 = TimeTicks:1000', '1.3.6.1.2.1.2.2.1.11.1 = Counter64:5']);
  });
});

describe('in-memory transport', () => {
  it('delivers asynchronously, in order, from a stated source, and stops on close', async () => {
    // A virtual clock: sysUpTime must not move while a loaded machine delays the deliveries.
    const agent = new Agent({ device: Device.fromSnmprec(DATA), clock: new VirtualClock() });
    const transport = agent.connect({ source: { address: '127.0.0.1', port: 161 } });
    const got: string[] = [];
    transport.onMessage((bytes, source) => {
      const m = decodeMessage(bytes);
      if (m.version !== 3) got.push(`${source.address}:${source.port} ${show(m.pdu.varbinds).join()}`);
    });
    transport.send(encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') }));
    transport.send(
      encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetNextRequest', '1.3.6.1.2.1.1.1.0') }),
    );
    expect(got).toEqual([]); // nothing synchronous
    for (let i = 0; i < 4; i++) await settle();
    expect(got).toEqual([
      '127.0.0.1:161 1.3.6.1.2.1.1.1.0 = OctetString:dev',
      '127.0.0.1:161 1.3.6.1.2.1.1.3.0 = TimeTicks:1000',
    ]);
    transport.close();
    transport.send(encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') }));
    for (let i = 0; i < 4; i++) await settle();
    expect(got.length).toBe(2);
    expect(agent.stats.received).toBe(2);
  });
});

/**
 * A client of the in-memory transport as a session is one: it sends (after `hops` promise turns, as an async API
 * may) and waits for the reply on real time, failing after `timeoutMs`.
 */
function inMemoryGet(transport: ClientTransport, oid: string, hops = 0, timeoutMs = 2000): Promise<string> {
  const pdu = getPdu('GetRequest', oid);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    transport.onMessage((bytes) => {
      const m = decodeMessage(bytes);
      if (m.version === 3 || m.pdu.type !== 'Response' || m.pdu.requestId !== (pdu as BasicPdu).requestId) return;
      clearTimeout(timer);
      resolve(show(m.pdu.varbinds).join());
    });
    let send = Promise.resolve();
    for (let i = 0; i < hops; i++) send = send.then(() => undefined);
    void send.then(() => transport.send(encodeMessage({ version: 1, community: 'public', pdu })));
  });
}

describe('agent.settled() with a virtual clock', () => {
  it('lets a test move the clock once the request has reached the agent (delay fault)', async () => {
    const clock = new VirtualClock();
    const agent = new Agent({ device: Device.fromSnmprec(DATA), clock, faults: 'delay=5000' });
    const transport = agent.connect();
    try {
      const reply = inMemoryGet(transport, '1.3.6.1.2.1.1.1.0', 3);
      let answered = false;
      void reply.then(() => {
        answered = true;
      });
      await agent.settled();
      expect(agent.stats.received).toBe(1); // it arrived, and its response waits on the clock
      clock.advance(4999);
      await agent.settled();
      expect(answered).toBe(false);
      clock.advance(1);
      expect(await reply).toBe('1.3.6.1.2.1.1.1.0 = OctetString:dev');
    } finally {
      transport.close();
      await agent.close();
    }
  });

  it('waits for replies too, and for what a client sends on from a reply within the same turn', async () => {
    const clock = new VirtualClock();
    const agent = new Agent({ device: Device.fromSnmprec(DATA), clock });
    const transport = agent.connect();
    try {
      const replies: string[] = [];
      // A second request sent from the first one's reply (as v3 discovery is followed by the request itself).
      void inMemoryGet(transport, '1.3.6.1.2.1.1.1.0').then(async (first) => {
        replies.push(first);
        replies.push(await inMemoryGet(transport, '1.3.6.1.2.1.1.3.0', 2));
      });
      await agent.settled();
      expect(agent.stats.received).toBe(2);
      expect(replies).toEqual(['1.3.6.1.2.1.1.1.0 = OctetString:dev', '1.3.6.1.2.1.1.3.0 = TimeTicks:1000']);
      await agent.settled(); // nothing in flight: resolves at once
    } finally {
      transport.close();
      await agent.close();
    }
  });
});

describe('scheduled faults', () => {
  it('jump after the Nth request even when a fault dropped it', async () => {
    const agent = new Agent({ device: Device.fromSnmprec(DATA), faults: 'drop=first:2,boots-jump=3@2' });
    expect(agent.engineClock.boots).toBe(1);
    await exchange(agent, 1);
    expect(agent.engineClock.boots).toBe(1);
    await exchange(agent, 1);
    expect(agent.engineClock.boots).toBe(4);
    expect(agent.stats.faults).toMatchObject({ dropped: 2, bootsJumps: 1 });
  });
});
