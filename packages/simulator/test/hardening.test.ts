/**
 * Issue 17's agent hardening: GETBULK amplification capped as snmpd caps it, an engine identity of its own per
 * agent (and boots that grow across restarts with a state directory), and the `restart` fault firing at @0.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, encodeMessage } from '@snmpkit/ber';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent, Device, ENGINE_STATE_FILE, loadEngineState, startSimulator, VirtualClock } from '../src/index.js';
import { ask, bulkPdu } from './helpers.js';

/** 300 interface counters: more than any capped GETBULK may return. */
const MANY = Array.from({ length: 300 }, (_, i) => `1.3.6.1.2.1.2.2.1.10.${i + 1}|65|${i}`).join('\n');
const repeated = (oid: string, n: number) => Array.from({ length: n }, () => oid);

describe('GETBULK amplification is capped as snmpd caps it (maxGetbulkResponses 100 by default)', () => {
  const agent = new Agent({ device: Device.fromSnmprec(MANY) });

  it('a 38-byte GETBULK asking 2^31-1 repetitions draws 100 varbinds, not the 64 KB a message may hold', async () => {
    const request = encodeMessage({ version: 1, community: 'public', pdu: bulkPdu(0, 2 ** 31 - 1, '1.3.6') });
    expect(request.length).toBeLessThanOrEqual(40);
    const reply = await agent.request(request);
    expect((await ask(agent, bulkPdu(0, 2 ** 31 - 1, '1.3.6'))).varbinds).toHaveLength(100);
    expect(reply!.length).toBeLessThan(3000);
  });

  it('divides the cap among the repeaters, non-repeaters on top, as snmpd 5.9 does', async () => {
    // snmpbulkget -Cr1000 against snmpd: 3 repeaters 99 lines, -Cn1 with 2 repeaters 101, -Cn2 with 1 repeater 102.
    expect((await ask(agent, bulkPdu(0, 1000, ...repeated('1.3.6', 3)))).varbinds).toHaveLength(99);
    expect((await ask(agent, bulkPdu(1, 1000, ...repeated('1.3.6', 3)))).varbinds).toHaveLength(101);
    expect((await ask(agent, bulkPdu(2, 1000, ...repeated('1.3.6', 3)))).varbinds).toHaveLength(102);
    // More repeaters than the cap: no repetition at all (snmpd answered 101 repeaters with an empty list).
    expect((await ask(agent, bulkPdu(0, 5, ...repeated('1.3.6', 101)))).varbinds).toHaveLength(0);
    // Under the cap nothing changes.
    expect((await ask(agent, bulkPdu(0, 10, ...repeated('1.3.6', 2)))).varbinds).toHaveLength(20);
  });

  it('is configurable: maxGetbulkRepeats cuts max-repetitions, 0 lifts a cap', async () => {
    const repeats = new Agent({ device: Device.fromSnmprec(MANY), maxGetbulkRepeats: 7 });
    expect((await ask(repeats, bulkPdu(0, 1000, '1.3.6', '1.3.6'))).varbinds).toHaveLength(14);
    const open = new Agent({ device: Device.fromSnmprec(MANY), maxGetbulkResponses: 0 });
    expect((await ask(open, bulkPdu(0, 1000, '1.3.6'))).varbinds).toHaveLength(301); // and endOfMibView after the last
    expect(() => new Agent({ device: Device.fromSnmprec(MANY), maxGetbulkResponses: 1.5 })).toThrow(
      /maxGetbulkResponses must be an integer/,
    );
  });
});

describe('engine identity', () => {
  const dirs: string[] = [];
  const stateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'snmpkit-state-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives every agent started without one an engine ID of its own', () => {
    const device = Device.fromSnmprec(MANY);
    const ids = new Set(Array.from({ length: 20 }, () => new Agent({ device }).engineIdHex));
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^80001f8805[0-9a-f]{16}$/);
  });

  it('with a state directory: keeps the engine ID and raises boots at every start and restart', async () => {
    const dir = stateDir();
    const first = await startSimulator({ data: Device.fromSnmprec(MANY), stateDir: dir });
    expect(first.agent.engineClock.boots).toBe(1);
    first.agent.restart();
    expect(first.agent.engineClock.boots).toBe(2);
    await first.close();
    const second = await startSimulator({ data: Device.fromSnmprec(MANY), stateDir: dir });
    expect(second.engineId).toBe(first.engineId);
    expect(second.agent.engineClock.boots).toBe(3);
    await second.close();
    expect(JSON.parse(readFileSync(join(dir, ENGINE_STATE_FILE), 'utf8'))).toEqual({
      engineId: first.engineId,
      boots: 3,
    });
    // Another engine ID given: a new engine, counting from 1.
    const other = await startSimulator({ data: Device.fromSnmprec(MANY), stateDir: dir, engineId: '80001f880401' });
    expect(other.agent.engineClock.boots).toBe(1);
    await other.close();
    // Without a state directory each start is a new engine.
    const fresh = await startSimulator({ data: Device.fromSnmprec(MANY) });
    expect(fresh.engineId).not.toBe(first.engineId);
    expect(fresh.agent.engineClock.boots).toBe(1);
    await fresh.close();
  });

  it('refuses a state file it cannot read, naming it, rather than starting a new engine over it', () => {
    const dir = stateDir();
    writeFileSync(join(dir, ENGINE_STATE_FILE), '{"engineId":"zz","boots":1}');
    expect(() => loadEngineState(dir)).toThrow(new RegExp(`${ENGINE_STATE_FILE}: expected`));
  });
});

describe('the restart fault', () => {
  it('fires at @0 (and bare `restart`): at start, or at once when set on a running agent', () => {
    for (const faults of ['restart', 'restart@0']) {
      const agent = new Agent({ device: Device.fromSnmprec(MANY), clock: new VirtualClock(), faults });
      expect(agent.engineClock.boots, faults).toBe(2);
      expect(agent.stats.faults.restarts, faults).toBe(1);
    }
    const clock = new VirtualClock();
    const agent = new Agent({ device: Device.fromSnmprec(MANY), clock });
    clock.advance(10_000);
    expect(agent.uptimeMs).toBe(10_000);
    agent.setFaults('restart');
    expect(agent.engineClock).toEqual({ boots: 2, time: 0 });
    expect(agent.uptimeMs).toBe(0);
  });

  it('is reported in hex on the wire: the engine ID is what the Report carries', () => {
    const agent = new Agent({ device: Device.fromSnmprec(MANY), engineId: '80001f880401' });
    expect(bytesToHex(agent.engineId)).toBe('80001f880401');
  });
});

describe("startSimulator's TCP bounds (tcp: @snmpkit/transport's maxConnections and idleTimeoutMs)", () => {
  it('closes the connection silent the longest past maxConnections, and a silent one after idleTimeoutMs', async () => {
    const { createConnection } = await import('node:net');
    const sim = await startSimulator({
      data: Device.fromSnmprec('1.3.6.1.2.1.1.5.0|4|lab'),
      listen: ['tcp:127.0.0.1:0'],
      tcp: { maxConnections: 1, idleTimeoutMs: 0 },
    });
    const open = () =>
      new Promise<import('node:net').Socket>((resolve, reject) => {
        const socket = createConnection({ host: '127.0.0.1', port: sim.listeners[0]!.port }, () => resolve(socket));
        socket.once('error', reject);
      });
    const closed = (socket: import('node:net').Socket) =>
      new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      const first = await open();
      const firstClosed = closed(first);
      await vi.waitFor(() => expect(sim.listeners[0]!.connections).toBe(1));
      const second = await open();
      await firstClosed; // one more than maxConnections: the oldest silent one goes
      await vi.waitFor(() => expect(sim.listeners[0]!.connections).toBe(1));
      second.destroy();
    } finally {
      await sim.close();
    }
    await expect(
      startSimulator({
        data: Device.fromSnmprec('1.3.6.1.2.1.1.5.0|4|lab'),
        listen: ['tcp:127.0.0.1:0'],
        tcp: { maxConnections: 0 },
      }),
    ).rejects.toThrow(/maxConnections must be a whole number from 1/);
  });
});
