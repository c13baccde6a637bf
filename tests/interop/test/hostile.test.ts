/**
 * Hostile input (issue 17): the real Net-SNMP packets captured under packages/ber, mutated, fired at
 * - the simulator agent, as `snmpkit simulate` in a child process over UDP (a crash is the process exiting), with a
 *   GET through a separate session after every batch to prove it still answers (a hang is a probe unanswered), and
 * - the client: a session whose every request gets a mutated captured Response (request-id patched in first), where
 *   each request must settle with a value or a typed SnmpError in bounded time (a hang is one that does not).
 * Counts packets tried, crashes, untyped errors, hangs, and RSS before/after, and prints them. Every loop has a
 * fixed number of rounds: nothing here runs until something happens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BasicPdu,
  type CommunityMessage,
  decodeMessage,
  encodeMessage,
  hexToBytes,
  type SnmpMessage,
} from '@snmpkit/ber';
import { Session, SnmpError } from '@snmpkit/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
const BIN = join(ROOT, 'packages/cli/bin/snmpkit.js');
const DATA = join(ROOT, 'packages/cli/data/sample-device.snmprec');
const VECTORS = join(ROOT, 'packages/ber/test/fixtures/net-snmp-vectors.txt');

/** Packets fired at the agent, in batches of BATCH, each batch followed by a liveness probe. */
const AGENT_PACKETS = 10_000;
const BATCH = 200;
/** Requests the client makes against the mutating responder. */
const CLIENT_REQUESTS = 300;
/** How long a probe or a client request may take before it counts as a hang (10x a generous loaded-machine wait). */
const HANG_MS = 10_000;

/** A small deterministic generator (mulberry32): the same seed, the same mutations, run after run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutation of `bytes`: what fuzzers and attackers do to a valid packet. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const out = Uint8Array.from(bytes);
  switch (pick(8)) {
    case 0: // flip one bit
      out[pick(out.length)]! ^= 1 << pick(8);
      return out;
    case 1: // a random byte
      out[pick(out.length)] = pick(256);
      return out;
    case 2: // truncate
      return out.subarray(0, pick(out.length));
    case 3: // a length that claims more than there is (long form, 4 bytes)
      {
        const at = 1 + pick(Math.max(out.length - 1, 1));
        return Uint8Array.from([...out.subarray(0, at), 0x84, 0x7f, 0xff, 0xff, 0xff, ...out.subarray(at + 1)]);
      }
    case 4: // random bytes inserted
      {
        const at = pick(out.length);
        const junk = Array.from({ length: 1 + pick(16) }, () => pick(256));
        return Uint8Array.from([...out.subarray(0, at), ...junk, ...out.subarray(at)]);
      }
    case 5: // a chunk repeated (nesting, long lists)
      {
        const at = pick(out.length);
        const chunk = out.subarray(at, at + 1 + pick(32));
        return Uint8Array.from([...out.subarray(0, at), ...chunk, ...chunk, ...out.subarray(at)]);
      }
    case 6: // several bytes at once
      for (let i = 0; i < 1 + pick(8); i++) out[pick(out.length)] = pick(256);
      return out;
    default: // trailing garbage
      return Uint8Array.from([...out, ...Array.from({ length: 1 + pick(64) }, () => pick(256))]);
  }
}

interface Vector {
  direction: string;
  bytes: Uint8Array;
  message: SnmpMessage;
}

const vectors: Vector[] = readFileSync(VECTORS, 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [direction, hex] = line.split(' ') as [string, string];
    const bytes = hexToBytes(hex);
    return { direction, bytes, message: decodeMessage(bytes) };
  });
const toAgent = vectors.filter((v) => v.direction.endsWith('>agent'));
const responses = vectors.filter(
  (v) => v.direction.startsWith('agent>') && v.message.version === 1 && v.message.pdu.type === 'Response',
);
/** The captured agent's engine ID, so that captured v3 requests reach the USM checks rather than discovery. */
const captureEngine = vectors.find((v) => v.message.version === 3 && v.direction.startsWith('agent>'))!.message;
const captureEngineId = Buffer.from(
  (captureEngine as Extract<SnmpMessage, { version: 3 }>).securityParameters.engineId,
).toString('hex');

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('hostile input', () => {
  let agent: ChildProcess;
  let agentPort = 0;
  let agentExit: { code: number | null; signal: string | null } | undefined;
  let stderr = '';

  beforeAll(async () => {
    agent = spawn(
      process.execPath,
      [
        BIN,
        'simulate',
        '--data',
        DATA,
        '--listen',
        'udp:127.0.0.1:0',
        '--engine-id',
        captureEngineId,
        '--user',
        'shaAes:SHA:authpass123:AES:privpass123',
        '--user',
        'md5Des:MD5:authpass123:DES:privpass123',
        '--user',
        'noAuth',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.on('exit', (code, signal) => (agentExit = { code, signal }));
    agent.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    agentPort = await new Promise<number>((resolve, reject) => {
      let out = '';
      agent.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening on udp:127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      agent.on('exit', () => reject(new Error(`simulate exited before listening: ${stderr}`)));
    });
  }, 60_000);

  afterAll(() => {
    if (agent?.pid !== undefined && agent.exitCode === null) process.kill(agent.pid, 'SIGTERM');
  });

  it(`the simulator agent survives ${AGENT_PACKETS} mutated captured packets over UDP and still answers`, async () => {
    const random = generator(17);
    const socket: Socket = createSocket('udp4');
    socket.on('message', () => {});
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const probe = await Session.open({
      peer: `udp:127.0.0.1:${agentPort}`,
      version: '2c',
      community: 'public',
      timeout: 1000,
      retries: 4,
    });
    const rssBefore = rssOf(agent.pid!);
    let tried = 0;
    let hangs = 0;
    let answered = 0;
    try {
      for (let batch = 0; batch < AGENT_PACKETS / BATCH; batch++) {
        for (let i = 0; i < BATCH; i++) {
          const vector = toAgent[Math.floor(random() * toAgent.length)]!;
          const packet = mutate(vector.bytes, random);
          socket.send(packet, agentPort, '127.0.0.1');
          tried++;
        }
        // The agent must still answer a well-formed GET after each batch.
        const outcome = await Promise.race([
          probe.get(['1.3.6.1.2.1.1.5.0']).then(
            () => 'answered' as const,
            () => 'failed' as const,
          ),
          new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), HANG_MS)),
        ]);
        if (outcome === 'answered') answered++;
        else hangs++;
        if (agentExit) break;
      }
    } finally {
      await probe.close();
      socket.close();
    }
    const crashes = agentExit ? 1 : 0;
    const rssAfter = agentExit ? 0 : rssOf(agent.pid!);
    const figures = {
      packetsTried: tried,
      crashes,
      untypedErrors: (stderr.match(/\n\s+at /g) ?? []).length,
      hangs,
      probesAnswered: `${answered}/${AGENT_PACKETS / BATCH}`,
      rssBefore: mb(rssBefore),
      rssAfter: mb(rssAfter),
    };
    console.log(`hostile input, agent over UDP: ${JSON.stringify(figures)}`);
    expect(crashes, stderr).toBe(0);
    expect(figures.untypedErrors, stderr).toBe(0);
    expect(hangs).toBe(0);
    expect(tried).toBe(AGENT_PACKETS);
    // Garbage must not grow the agent: allow for the heap settling, not for buffering what it was sent.
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024 * 1024);
  }, 600_000);

  it(`the client settles each of ${CLIENT_REQUESTS} requests answered with mutated captured Responses`, async () => {
    const random = generator(23);
    const responder = createSocket('udp4');
    responder.on('message', (bytes, from) => {
      let requestId: number;
      try {
        const request = decodeMessage(bytes);
        if (request.version === 3 || request.pdu.type === 'TrapV1') return;
        requestId = request.pdu.requestId;
      } catch {
        return;
      }
      // A captured Response for this request (its id patched in), then mutated: most still reach the session's
      // decoder for this very request.
      const captured = responses[Math.floor(random() * responses.length)]!.message as CommunityMessage;
      const reply = encodeMessage({ ...captured, pdu: { ...(captured.pdu as BasicPdu), requestId } });
      const mutated = random() < 0.1 ? reply : mutate(reply, random);
      responder.send(mutated, from.port, from.address);
    });
    responder.bind(0, '127.0.0.1');
    await once(responder, 'listening');
    const session = await Session.open({
      peer: `udp:127.0.0.1:${responder.address().port}`,
      version: '2c',
      community: 'public',
      // Short: a mutated reply that does not decode leaves the request to time out, which is most of the run.
      timeout: 50,
      retries: 1,
    });
    const rssBefore = process.memoryUsage().rss;
    let answered = 0;
    let typed = 0;
    let untyped = 0;
    let hangs = 0;
    const untypedSamples: string[] = [];
    try {
      for (let i = 0; i < CLIENT_REQUESTS; i++) {
        const outcome = await Promise.race([
          session.getNext(['1.3.6.1.2.1']).then(
            () => 'answered' as const,
            (error: unknown) => error,
          ),
          new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), HANG_MS)),
        ]);
        if (outcome === 'answered') answered++;
        else if (outcome === 'hang') hangs++;
        else if (outcome instanceof SnmpError) typed++;
        else {
          untyped++;
          if (untypedSamples.length < 3) untypedSamples.push(String(outcome));
        }
      }
    } finally {
      await session.close();
      responder.close();
    }
    const figures = {
      requestsTried: CLIENT_REQUESTS,
      answered,
      typedErrors: typed,
      untypedErrors: untyped,
      hangs,
      droppedUndecodable: session.stats.droppedUndecodable,
      rssBefore: mb(rssBefore),
      rssAfter: mb(process.memoryUsage().rss),
    };
    console.log(`hostile input, client: ${JSON.stringify(figures)}`);
    expect(untyped, untypedSamples.join('\n')).toBe(0);
    expect(hangs).toBe(0);
    expect(answered + typed).toBe(CLIENT_REQUESTS);
  }, 600_000);
});
