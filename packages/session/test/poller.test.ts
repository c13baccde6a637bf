import { bytesToText, decodeMessage, type VarBind } from '@snmpkit/ber';
import { testUser } from '@snmpkit/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GeneralError,
  Poller,
  type PollerOptions,
  type PollResult,
  type PollTarget,
  RequestAbortedError,
  RequestTimeoutError,
  SESSION_DEFAULTS,
  totalWaitMs,
} from '../src/index.js';
import { responseTo } from './helpers.js';
import { communityAgent, FakeNetwork, requestIdOf, v3Agent } from './poller-network.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_TABLE = '1.3.6.1.2.1.2.2';

/**
 * Waits until `check` passes, on real turns of the event loop (setImmediate is not faked): unlike vi.waitFor, which
 * moves fake timers on, no virtual time passes.
 */
async function until(check: () => void): Promise<void> {
  for (let turn = 0; ; turn++) {
    try {
      check();
      return;
    } catch (error) {
      if (turn > 20_000) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function collect<T extends PollTarget>(run: AsyncIterable<PollResult<T>>): Promise<PollResult<T>[]> {
  const out: PollResult<T>[] = [];
  for await (const result of run) out.push(result);
  return out;
}

function textOf(varbinds: VarBind[], oid: string): string | undefined {
  const vb = varbinds.find((v) => v.oid === oid);
  return vb && vb.value.type === 'OctetString' ? bytesToText(vb.value.value) : undefined;
}

/** `count` v2c agents at 127.1.0.1:161, 127.1.0.2:161, ... */
function lab(network: FakeNetwork, count: number, interfaces = 3): PollTarget[] {
  const targets: PollTarget[] = [];
  for (let i = 1; i <= count; i++) {
    const key = `127.1.${i >> 8}.${i & 0xff}:161`;
    network.addAgent(key, communityAgent(`dev${i}`, interfaces));
    targets.push({ peer: key, tag: `dev${i}` });
  }
  return targets;
}

describe('Poller (in-memory network; fake timers move only the timeouts)', () => {
  let network: FakeNetwork;
  let poller: Poller | undefined;
  const open = (options: PollerOptions = {}) => {
    poller = new Poller({ openSocket: network.openSocket, ...options });
    return poller;
  };
  beforeEach(() => {
    network = new FakeNetwork();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(async () => {
    await poller?.close();
    poller = undefined;
    vi.useRealTimers();
  });

  it('polls 300 agents over one socket: every target reported exactly once, with its own data', async () => {
    const targets = lab(network, 300);
    const p = open({ maxInFlight: 50 });
    const results = await collect(p.poll(targets, { get: [SYS_DESCR, SYS_NAME], walk: [IF_TABLE] }));
    expect(results).toHaveLength(300);
    expect(new Set(results.map((r) => r.target)).size).toBe(300);
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(textOf(r.varbinds, SYS_NAME)).toBe(r.target.tag);
      // 2 GET varbinds, then 3 columns x 3 rows of ifTable
      expect(r.varbinds).toHaveLength(2 + 9);
      expect(textOf(r.varbinds, `${IF_TABLE}.1.2.3`)).toBe(`${r.target.tag}-if3`);
    }
    expect(network.sockets).toHaveLength(1);
    expect(p.sockets).toBe(1);
    expect(network.maxOutstanding).toBeLessThanOrEqual(50);
    expect(p.stats).toMatchObject({ responses: network.sent.length, timeouts: 0, droppedWrongSource: 0 });
  });

  it('tables come back as rows; v1 targets walk with GETNEXT beside v2c ones', async () => {
    const targets = lab(network, 4);
    targets[1] = { ...targets[1]!, version: '1' };
    const p = open();
    const results = await collect(p.poll(targets, { table: [IF_TABLE] }));
    expect(results).toHaveLength(4);
    for (const r of results) {
      if (!r.ok) throw r.error;
      const rows = r.tables.get(IF_TABLE)!;
      expect([...rows.keys()]).toEqual(['1', '2', '3']);
      expect(rows.get('2')!.get(10)).toEqual({ type: 'Counter32', value: 2000 });
    }
    const v1 = results.find((r) => r.target.version === '1')!;
    expect(v1.stats.requests).toBe(10); // 9 objects and the one past the table, one GETNEXT each
  });

  it('request-ids never collide across targets, even when the random source repeats itself', async () => {
    // Every draw of the CSPRNG gives the same 256 numbers: without the shared id space, all targets would use 1..256.
    const repeating = (<T extends ArrayBufferView>(a: T): T => {
      const array = a as unknown as Uint32Array;
      for (let i = 0; i < array.length; i++) array[i] = i + 1;
      return a;
    }) as typeof crypto.getRandomValues;
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(repeating);
    try {
      const targets = lab(network, 150);
      const p = open({ maxInFlight: 40, maxInFlightPerTarget: 2 });
      const results = await collect(p.poll(targets, { get: [SYS_DESCR], walk: [IF_TABLE] }));
      expect(results).toHaveLength(150);
      expect(results.every((r) => r.ok)).toBe(true);
      // Replay what went over the wire: no request-id was ever outstanding at two agents at once.
      const outstanding = new Map<number, string>();
      const collisions: string[] = [];
      for (const { kind, key, bytes } of network.timeline) {
        const id = requestIdOf(bytes);
        if (kind === 'reply') {
          outstanding.delete(id);
          continue;
        }
        const owner = outstanding.get(id);
        if (owner !== undefined && owner !== key) collisions.push(`${id}: ${owner} and ${key}`);
        outstanding.set(id, key);
      }
      expect(collisions).toEqual([]);
      // More requests than the 256 ids the random source gives: ids were reused, once free.
      expect(network.sent.length).toBeGreaterThan(256);
      expect(new Set(network.sent.map((s) => requestIdOf(s.bytes))).size).toBeLessThanOrEqual(256);
    } finally {
      spy.mockRestore();
    }
  });

  it('a reply from another target, carrying this target’s request-id, is dropped; strangers are counted', async () => {
    const agent = communityAgent('live');
    const held: (() => void)[] = [];
    network.addHost('127.1.0.1:161', (bytes, reply) =>
      held.push(() => agent.receive(bytes, { key: 'k', source: { address: 'poller', port: 1 }, send: reply })),
    );
    const live: PollTarget = { peer: '127.1.0.1:161' };
    const dead: PollTarget = { peer: '127.9.9.9:161', retries: 0, timeout: 1000 };
    const p = open();
    const run = p.poll([dead, live!], { get: [SYS_DESCR] });
    const results: PollResult<PollTarget>[] = [];
    const consumer = (async () => {
      for await (const r of run) results.push(r);
    })();
    await until(() => expect(network.sent.some((s) => s.to === dead.peer)).toBe(true));
    await until(() => expect(held).toHaveLength(1));
    const toDead = network.sent.find((s) => s.to === dead.peer)!.bytes;
    const spoof = responseTo(toDead, [{ oid: SYS_DESCR, value: { type: 'OctetString', value: new Uint8Array(1) } }]);
    // The same request-id, from the live agent's address (a spoof across targets), and from nowhere polled.
    network.inject(spoof, { address: '127.1.0.1', port: 161 });
    network.inject(spoof, { address: '127.9.9.9', port: 162 });
    held[0]!();
    await until(() => expect(results).toHaveLength(1));
    expect(results[0]!.target).toBe(live);
    await vi.advanceTimersByTimeAsync(1000);
    await consumer;
    const deadResult = results[1]!;
    expect(deadResult.target).toBe(dead);
    expect(deadResult.ok).toBe(false);
    expect(!deadResult.ok && deadResult.error).toBeInstanceOf(RequestTimeoutError);
    expect(p.stats.droppedWrongSource).toBe(1);
    expect(p.stats.droppedUnknownId + p.stats.droppedLate).toBe(1);
  });

  it('late and duplicate replies are dropped and counted; the target is reported once', async () => {
    let answered = 0;
    const agent = communityAgent('dup');
    const pending: (() => void)[] = [];
    network.addHost('127.2.0.1:161', (bytes, reply) => {
      answered++;
      // The first attempt's answer is held until after the retry; every answer is sent twice.
      const send = () =>
        agent.receive(bytes, {
          key: 'k',
          source: { address: 'poller', port: 1 },
          send: (r) => {
            reply(r);
            reply(r);
          },
        });
      if (answered === 1) pending.push(send);
      else send();
    });
    const p = open();
    const target: PollTarget = { peer: '127.2.0.1:161', timeout: 500, retries: 2, backoff: 1 };
    const run = p.poll([target], { get: [SYS_DESCR], walk: [IF_TABLE] });
    const results: PollResult<PollTarget>[] = [];
    const consumer = (async () => {
      for await (const r of run) results.push(r);
    })();
    await until(() => expect(pending).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(500); // the retry leaves, is answered twice
    await consumer;
    expect(results).toHaveLength(1);
    expect(results[0]!.ok).toBe(true);
    // The GET was sent once and retried once; the walk's requests were answered at once.
    const stats = results[0]!.stats;
    expect(stats).toMatchObject({ retransmissions: 1, responses: stats.requests, timeouts: 0 });
    // Duplicates of answers taken were dropped while the target was still polled...
    expect(stats.droppedUnknownId).toBeGreaterThanOrEqual(1);
    pending[0]!(); // ...the first attempt's answer comes late, twice, after the target is reported
    const delivered = 2 * answered;
    await until(() =>
      expect(p.stats.responses + p.stats.droppedUnknownId + p.stats.droppedLate + p.stats.droppedWrongSource).toBe(
        delivered,
      ),
    );
    expect(results).toHaveLength(1);
  });

  it('keeps at most maxInFlightPerTarget requests at one agent and maxInFlight in all', async () => {
    const targets = lab(network, 30, 20);
    const p = open({ maxInFlight: 12, maxInFlightPerTarget: 2 });
    const walks = [IF_TABLE, '1.3.6.1.2.1.1', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.2.1.2.2.1.10'];
    const results = await collect(p.poll(targets, { get: [SYS_DESCR], walk: walks }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(Math.max(...network.maxOutstandingPer.values())).toBe(2);
    expect(network.maxOutstanding).toBe(12);
    // And with one per target, one at a time.
    const one = new FakeNetwork();
    const p1 = new Poller({ openSocket: one.openSocket, maxInFlightPerTarget: 1 });
    const more = lab(one, 5, 20);
    await collect(p1.poll(more, { get: [SYS_DESCR], walk: walks }));
    expect(Math.max(...one.maxOutstandingPer.values())).toBe(1);
    await p1.close();
  });

  it('a dead target does not hold back live ones; it fails after the session timing, every target once', async () => {
    const targets = lab(network, 20);
    const dead: PollTarget = { peer: '127.3.0.1:161' };
    const p = open({ maxInFlight: 4 });
    const results: PollResult<PollTarget>[] = [];
    const run = p.poll([dead, ...targets], { get: [SYS_DESCR], walk: [IF_TABLE] });
    const consumer = (async () => {
      for await (const r of run) results.push(r);
    })();
    // No virtual time passes: the 20 live ones finish on the dead one's first attempt.
    await until(() => expect(results).toHaveLength(20));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(run.progress).toMatchObject({ total: 21, done: 20, failed: 0, active: 1 });
    const wait = totalWaitMs(SESSION_DEFAULTS);
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(results).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(1);
    await consumer;
    expect(results[20]!.target).toBe(dead);
    const error = !results[20]!.ok && results[20]!.error;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ attempts: SESSION_DEFAULTS.retries + 1, waitedMs: wait });
    expect(run.progress).toMatchObject({ total: 21, done: 20, failed: 1, active: 0, inFlight: 0 });
  });

  it('v3 targets with different engines: each discovers and keys to its own', async () => {
    const user = testUser('SHA', 'AES');
    const engines = ['80001f8880aaaa000001', '80001f8880bbbb000002', '80001f8880cccc000003'];
    const targets: PollTarget[] = engines.map((engineId, i) => {
      const key = `127.4.0.${i + 1}:161`;
      network.addAgent(key, v3Agent(`v3dev${i}`, user, engineId));
      return { peer: key, tag: engineId };
    });
    // A community target beside them, on the same socket.
    targets.push(...lab(network, 1));
    const p = open({ defaults: { version: '3', user } });
    targets[3] = { ...targets[3]!, version: '2c' };
    const results = await collect(p.poll(targets, { get: [SYS_NAME], walk: [IF_TABLE] }));
    expect(results).toHaveLength(4);
    for (const r of results) {
      if (!r.ok) throw r.error;
      expect(r.varbinds).toHaveLength(1 + 9);
    }
    const names = results.map((r) => (r.ok ? textOf(r.varbinds, SYS_NAME) : undefined)).sort();
    expect(names).toEqual(['dev1', 'v3dev0', 'v3dev1', 'v3dev2']);
    // Each v3 target's requests carried its own agent's engine ID.
    for (const [i, engineId] of engines.entries()) {
      const to = `127.4.0.${i + 1}:161`;
      const ids = new Set(
        network.sent
          .filter((s) => s.to === to)
          .map((s) => decodeMessage(s.bytes))
          .map((m) => (m.version === 3 ? Buffer.from(m.securityParameters.engineId).toString('hex') : 'not v3')),
      );
      expect(ids).toEqual(new Set(['', engineId])); // the discovery probe's empty one, then the engine's
    }
    expect(network.sockets).toHaveLength(1);
  });

  it('two targets at the same address and port (two communities) get a socket each while both are polled', async () => {
    network.addAgent('127.5.0.1:161', communityAgent('shared'));
    const p = open();
    const results = await collect(
      p.poll([{ peer: '127.5.0.1:161', tag: 'a' }, { peer: '127.5.0.1:161', tag: 'b' }, ...lab(network, 2)], {
        get: [SYS_NAME],
      }),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(network.sockets).toHaveLength(2);
  });

  it('an abort reports every target not yet done once, as aborted', async () => {
    const targets = lab(network, 10);
    const dead = Array.from({ length: 10 }, (_, i) => ({ peer: `127.6.0.${i + 1}:161` }));
    const p = open({ maxInFlight: 5 });
    const controller = new AbortController();
    const run = p.poll([...targets, ...dead], { get: [SYS_DESCR] }, { signal: controller.signal });
    const results: PollResult<PollTarget>[] = [];
    for await (const r of run) {
      results.push(r);
      if (results.length === 10) controller.abort(new Error('enough'));
    }
    expect(results).toHaveLength(20);
    expect(new Set(results.map((r) => r.target)).size).toBe(20);
    expect(results.slice(0, 10).every((r) => r.ok)).toBe(true);
    for (const r of results.slice(10)) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toBeInstanceOf(RequestAbortedError);
    }
    expect(run.progress).toMatchObject({ total: 20, done: 10, failed: 10, active: 0, inFlight: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('breaking out of the loop cancels the rest', async () => {
    const dead = Array.from({ length: 6 }, (_, i) => ({ peer: `127.7.0.${i + 1}:161` }));
    const p = open({ maxInFlight: 3 });
    const run = p.poll([...lab(network, 1), ...dead], { get: [SYS_DESCR] });
    for await (const r of run) {
      expect(r.ok).toBe(true);
      break;
    }
    await until(() => expect(run.progress).toMatchObject({ done: 1, failed: 6, active: 0 }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a rate limit spaces first attempts (requests per second)', async () => {
    const targets = lab(network, 10);
    const p = open({ rate: 10 }); // a bucket of one request: one every 100 ms
    const run = p.poll(targets, { get: [SYS_DESCR] });
    const results: PollResult<PollTarget>[] = [];
    const consumer = (async () => {
      for await (const r of run) results.push(r);
    })();
    await until(() => expect(results).toHaveLength(1));
    await new Promise((r) => setImmediate(r));
    expect(network.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(450);
    await until(() => expect(network.sent).toHaveLength(5));
    await vi.advanceTimersByTimeAsync(500);
    await consumer;
    expect(results).toHaveLength(10);
    expect(network.sent).toHaveLength(10);
  });

  it("a target's own problems are its result; bad work is refused at once", async () => {
    const p = open();
    const results = await collect(
      p.poll(
        [
          { peer: 'no such host name' },
          { peer: '127.8.0.1:161', version: '3' }, // no user
          { peer: '127.8.0.1:0' },
          { peer: '127.8.0.1:161', comunity: 'typo' } as unknown as PollTarget,
          // The poller turns a shared user's passwords into keys once; a password the key store refuses still is.
          { peer: '127.8.0.1:161', version: '3', user: { ...testUser('SHA'), authPassword: 'short' } },
        ],
        { get: [SYS_DESCR] },
      ),
    );
    expect(results).toHaveLength(5);
    for (const r of results) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toBeInstanceOf(GeneralError);
    }
    expect(results.map((r) => (r.ok ? '' : r.error.message)).join('\n')).toMatch(
      /authPassword must be at least 8 characters long/,
    );
    expect(() => p.poll([], {})).toThrow(/give poll something to do/);
    expect(() => p.poll([], { get: ['1.3.x'] })).toThrow(GeneralError);
    expect(() => new Poller({ maxInFlight: 0 })).toThrow(/maxInFlight must be an integer >= 1/);
    expect(() => new Poller({ rate: -1 })).toThrow(/rate/);
  });
});

describe('Poller over real sockets (simulator agents on loopback)', () => {
  it('UDP over IPv4 and IPv6 on one socket each, TCP on its own connection, a dead port among them', async () => {
    const agents = [communityAgent('udp-a'), communityAgent('udp-b'), communityAgent('udp6'), communityAgent('tcp')];
    const poller = new Poller({ defaults: { timeout: 200, retries: 1 } });
    try {
      const a = await agents[0]!.listen('udp:127.0.0.1:0');
      const b = await agents[1]!.listen('udp:127.0.0.1:0');
      let v6: string | undefined;
      try {
        v6 = (await agents[2]!.listen('udp6:[::1]:0')).endpoint;
      } catch {
        // No IPv6 loopback here (some containers): the IPv4 and TCP parts still run.
      }
      const tcp = await agents[3]!.listen('tcp:127.0.0.1:0');
      // A port nobody listens on: the datagrams go nowhere (or draw ICMP port unreachable, which UDP ignores).
      const deadAgent = communityAgent('gone');
      const dead = (await deadAgent.listen('udp:127.0.0.1:0')).endpoint;
      await deadAgent.close();
      const targets: PollTarget[] = [a.endpoint, b.endpoint, tcp.endpoint, dead, ...(v6 ? [v6] : [])].map((peer) => ({
        peer,
      }));
      const results = await collect(poller.poll(targets, { get: [SYS_NAME], walk: [IF_TABLE] }));
      expect(results).toHaveLength(targets.length);
      const byPeer = new Map(results.map((r) => [r.target.peer, r]));
      for (const [peer, name] of [
        [a.endpoint, 'udp-a'],
        [b.endpoint, 'udp-b'],
        [tcp.endpoint, 'tcp'],
        ...(v6 ? [[v6, 'udp6']] : []),
      ] as const) {
        const r = byPeer.get(peer)!;
        if (!r.ok) throw r.error;
        expect(textOf(r.varbinds, SYS_NAME)).toBe(name);
        expect(r.varbinds).toHaveLength(10);
      }
      const gone = byPeer.get(dead)!;
      expect(!gone.ok && gone.error).toBeInstanceOf(RequestTimeoutError);
      // One UDP socket per family in use; the TCP connection was closed with its target.
      expect(poller.sockets).toBe(v6 ? 2 : 1);
    } finally {
      await poller.close();
      for (const agent of agents) await agent.close();
    }
  });
});
