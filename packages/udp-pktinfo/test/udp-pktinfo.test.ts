import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatIPv6,
  load,
  type PktinfoSocket,
  type PktinfoSocketOptions,
  type PktinfoSystemError,
  parseIPv4,
  parseIPv6,
  type ReceivedBatch,
  unavailableReason,
} from '../src/index.js';

const linux = process.platform === 'linux';
// Child processes load the built package (turbo builds before testing).
const distUrl = new URL('../dist/index.js', import.meta.url).href;
const opened: PktinfoSocket[] = [];
const clients: dgram.Socket[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(clients.splice(0).map((c) => new Promise<void>((resolve) => c.close(() => resolve()))));
});

function open(options: Partial<PktinfoSocketOptions> & Pick<PktinfoSocketOptions, 'onBatch'>): PktinfoSocket {
  const module = load();
  if (!module) throw new Error(`the addon must load on Linux: ${unavailableReason()}`);
  const socket = module.openSocket(options);
  opened.push(socket);
  return socket;
}

async function client(type: 'udp4' | 'udp6', address: string): Promise<dgram.Socket> {
  const c = dgram.createSocket(type);
  clients.push(c);
  c.bind(0, address);
  await once(c, 'listening');
  return c;
}

interface Seen {
  payload: string;
  source: string;
  sourcePort: number;
  destination: string;
  destinationNumber?: number;
}

/** An echo server that records what each batch said and answers with "<destination> <payload>". */
function echo(extra: Partial<PktinfoSocketOptions> = {}) {
  const seen: Seen[] = [];
  const batches: number[] = [];
  const socket = open({
    port: 0,
    ...extra,
    onBatch(batch: ReceivedBatch) {
      batches.push(batch.count);
      for (let i = 0; i < batch.count; i++) {
        const entry: Seen = {
          payload: batch.payload(i).toString(),
          source: batch.sourceAddress(i),
          sourcePort: batch.sourcePort(i),
          destination: batch.destinationAddress(i),
        };
        if ((extra.family ?? 4) === 4) entry.destinationNumber = batch.destinationIPv4(i);
        seen.push(entry);
        batch.reply(i, Buffer.from(`${entry.destination} ${entry.payload}`));
      }
    },
  });
  return { socket, seen, batches };
}

function replies(c: dgram.Socket, count: number): Promise<{ text: string; from: string; port: number }[]> {
  return new Promise((resolve) => {
    const got: { text: string; from: string; port: number }[] = [];
    c.on('message', (msg, rinfo) => {
      got.push({ text: msg.toString(), from: rinfo.address, port: rinfo.port });
      if (got.length === count) resolve(got);
    });
  });
}

// Skipped on other platforms than Linux (IP_PKTINFO, recvmmsg and sendmmsg are Linux's); CI runs on Debian Linux,
// where .ci/run also fails if npm ci did not build the addon.
describe.skipIf(!linux)('udp-pktinfo on Linux (the addon is built by npm ci; these tests fail if it is not)', () => {
  it('loads', () => {
    expect(load(), unavailableReason()).toBeDefined();
    expect(unavailableReason()).toBeUndefined();
  });

  it('reports the address a datagram was sent to, and the reply comes from that address', async () => {
    const { socket, seen } = echo();
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 1);
    c.send('hello', socket.port, '127.200.0.5');
    const [reply] = await answered;
    expect(seen).toEqual([
      {
        payload: 'hello',
        source: '127.0.0.1',
        sourcePort: c.address().port,
        destination: '127.200.0.5',
        destinationNumber: 0x7fc80005,
      },
    ]);
    expect(reply).toEqual({ text: '127.200.0.5 hello', from: '127.200.0.5', port: socket.port });
  });

  it('answers each of many addresses from that address', async () => {
    const { socket } = echo();
    const c = await client('udp4', '127.0.0.1');
    const addresses = Array.from({ length: 50 }, (_, k) => `127.201.${k >> 3}.${1 + (k & 7)}`);
    const answered = replies(c, addresses.length);
    for (const a of addresses) c.send(`to ${a}`, socket.port, a);
    const got = await answered;
    for (const r of got) expect(r.text).toBe(`${r.from} to ${r.from}`);
    expect(new Set(got.map((r) => r.from))).toEqual(new Set(addresses));
  });

  it('reads waiting datagrams in batches of at most batchSize, one onBatch per batch', async () => {
    const { socket, seen, batches } = echo({ batchSize: 16 });
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 100);
    // All 100 are sent before the event loop polls the server's socket, so they wait in its receive queue.
    for (let k = 0; k < 100; k++) c.send(String(k), socket.port, '127.200.0.1');
    await answered;
    expect(seen.map((s) => Number(s.payload)).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...batches)).toBeLessThanOrEqual(16);
    expect(batches.length).toBeLessThan(100);
  });

  it('cuts a datagram longer than maxDatagramSize and says so', async () => {
    const lengths: [number, boolean][] = [];
    const socket = open({
      maxDatagramSize: 10,
      onBatch(batch) {
        for (let i = 0; i < batch.count; i++) {
          lengths.push([batch.payload(i).length, batch.truncated(i)]);
          batch.reply(i, Buffer.from('ok'));
        }
      },
    });
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 2);
    c.send('0123456789abcdef', socket.port, '127.200.0.1');
    c.send('short', socket.port, '127.200.0.1');
    await answered;
    expect(lengths).toEqual([
      [10, true],
      [5, false],
    ]);
  });

  it('sends outside onBatch from a chosen address (flushed on setImmediate)', async () => {
    const socket = open({ onBatch() {} });
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 2);
    socket.send(Buffer.from('one'), c.address().port, '127.0.0.1', '127.200.0.9');
    socket.sendIPv4(Buffer.from('two'), c.address().port, 0x7f000001, 0x7fc8000a);
    expect((await answered).map((r) => [r.text, r.from])).toEqual([
      ['one', '127.200.0.9'],
      ['two', '127.200.0.10'],
    ]);
  });

  it('flushes when more than sendBatchSize replies are staged', async () => {
    const socket = open({ sendBatchSize: 4, onBatch() {} });
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 10);
    for (let k = 0; k < 10; k++) socket.send(Buffer.from(String(k)), c.address().port, '127.0.0.1', '127.200.0.2');
    expect((await answered).map((r) => r.text)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('closes: the port is free again, nothing is delivered after, sending after close is an error', async () => {
    const { socket, seen } = echo();
    const port = socket.port;
    const c = await client('udp4', '127.0.0.1');
    await socket.close();
    await socket.close(); // twice is fine
    expect(() => socket.send(Buffer.from('x'), 1, '127.0.0.1')).toThrow(/closed/);
    c.send('late', port, '127.200.0.1');
    // The port can be bound again at once: the descriptor is closed.
    const again = open({ port, onBatch() {} });
    expect(again.port).toBe(port);
    await again.close();
    expect(seen).toEqual([]);
  });

  it('leaves no descriptor behind after many open/close cycles', async () => {
    const { readdirSync } = await import('node:fs');
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const module = load()!;
    const before = descriptors();
    for (let k = 0; k < 50; k++) await module.openSocket({ onBatch() {} }).close();
    expect(descriptors()).toBe(before);
  });

  it('frees a closed socket and its buffers once unreachable (no reference cycle through the callbacks)', () => {
    // 300 sockets with the default 64 slots of 65,527 bytes: 1.2 GB of arenas if closed sockets were kept.
    const script = `import('${distUrl}').then(async ({ load }) => {
      const m = load();
      for (let k = 0; k < 300; k++) await m.openSocket({ onBatch() {} }).close();
      // Finalizers may run a turn after the collection that found the sockets unreachable: on a busy machine, more.
      for (let k = 0; k < 100 && (k < 3 || process.memoryUsage().external > 100e6); k++) {
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      console.log(Math.round(process.memoryUsage().external / 1e6));
    });`;
    const result = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(Number(result.stdout.trim())).toBeLessThan(100);
  });

  it('turns an exception thrown in onBatch into an uncaught exception, like a throwing dgram listener', () => {
    const script = `import('${distUrl}').then(({ load }) => {
      const dgram = require('node:dgram');
      process.on('uncaughtException', (e) => { console.log('uncaught', e.message); process.exit(0); });
      const s = load().openSocket({ onBatch() { throw new Error('boom'); } });
      dgram.createSocket('udp4').send('x', s.port, '127.200.0.1');
    });`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout.trim()).toBe('uncaught boom');
  });

  it('does not keep the process alive after unref', () => {
    // Through a child process: the test runner itself stays alive regardless.
    const script = `import('${distUrl}').then(({ load }) => {
      const s = load().openSocket({ onBatch() {} }); s.unref(); console.log('open', s.port > 0); });`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout.trim()).toBe('open true');
    expect(result.status).toBe(0);
  });

  it('names the errno, system call and address when the port is in use', async () => {
    const holder = await client('udp4', '127.0.0.1');
    const port = holder.address().port;
    let error: PktinfoSystemError | undefined;
    try {
      open({ port, onBatch() {} });
    } catch (e) {
      error = e as PktinfoSystemError;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error?.code).toBe('EADDRINUSE');
    expect(error?.errno).toBe(-98);
    expect(error?.syscall).toBe('bind');
    expect(error?.message).toContain(`0.0.0.0:${port}`);
  });

  it('shares a port with another SO_REUSEADDR socket only when asked to', async () => {
    const first = open({ reuseAddress: true, onBatch() {} });
    expect(() => open({ port: first.port, onBatch() {} })).toThrow(/EADDRINUSE/);
    const second = open({ port: first.port, reuseAddress: true, onBatch() {} });
    expect(second.port).toBe(first.port);
  });

  it('names a device that does not exist', () => {
    expect(() => open({ device: 'no-such-if0', onBatch() {} })).toThrow(/ENODEV.*no-such-if0/);
  });

  it('rejects bad options and addresses with a clear message', () => {
    expect(() => open({ address: '300.1.2.3', onBatch() {} })).toThrow(/not an IPv4 address/);
    expect(() => open({ batchSize: 0, onBatch() {} })).toThrow(/batchSize must be an integer from 1/);
    expect(() => open({ port: 70000, onBatch() {} })).toThrow(/port must be an integer from 0 to 65535/);
    const socket = open({ onBatch() {} });
    expect(() => socket.send(Buffer.from('x'), 161, 'nowhere')).toThrow(/nowhere is not an IPv4 address/);
    expect(() => socket.send(Buffer.from('x'), 0, '127.0.0.1')).toThrow(/port must be an integer from 1/);
    expect(() => socket.send(Buffer.alloc(70_000), 161, '127.0.0.1')).toThrow(/more than a UDP datagram holds/);
  });

  it('reports a send that the system refuses through onError, with the address', async () => {
    const errors: PktinfoSystemError[] = [];
    const socket = open({ onBatch() {}, onError: (e) => errors.push(e) });
    const c = await client('udp4', '127.0.0.1');
    const answered = replies(c, 1);
    // 192.0.2.1 (TEST-NET-1) is not an address of this machine: the kernel will not send from it.
    socket.send(Buffer.from('refused'), c.address().port, '127.0.0.1', '192.0.2.1');
    socket.send(Buffer.from('sent'), c.address().port, '127.0.0.1', '127.200.0.3');
    expect((await answered).map((r) => [r.text, r.from])).toEqual([['sent', '127.200.0.3']]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.syscall).toBe('sendmmsg');
    expect(errors[0]?.address).toBe('127.0.0.1');
    expect(errors[0]?.port).toBe(c.address().port);
    expect(errors[0]?.code).toMatch(/^E[A-Z]+$/);
  });

  it('serves IPv6 (::1): destination reported, reply from it', async () => {
    const { socket, seen } = echo({ family: 6 });
    const c = await client('udp6', '::1');
    const answered = replies(c, 1);
    c.send('six', socket.port, '::1');
    expect(await answered).toEqual([{ text: '::1 six', from: '::1', port: socket.port }]);
    expect(seen).toEqual([{ payload: 'six', source: '::1', sourcePort: c.address().port, destination: '::1' }]);
  });
});

describe('address text', () => {
  it('parses and formats IPv4', () => {
    expect(parseIPv4('127.200.0.5')).toBe(0x7fc80005);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ''])
      expect(parseIPv4(bad)).toBeUndefined();
  });

  it('parses IPv6 text forms and prints RFC 5952 text', () => {
    const round = (a: string) => {
      const bytes = parseIPv6(a);
      return bytes && formatIPv6(bytes);
    };
    expect(round('::1')).toBe('::1');
    expect(round('::')).toBe('::');
    expect(round('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(round('fe80::1:2')).toBe('fe80::1:2');
    expect(round('::ffff:1.2.3.4')).toBe('::ffff:102:304');
    expect(round('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(round('1:0:3:4:5:6:7:8')).toBe('1:0:3:4:5:6:7:8');
    for (const bad of ['1::2::3', ':::', '12345::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'g::1', '::1.2.3.256']) {
      expect(parseIPv6(bad), bad).toBeUndefined();
    }
  });
});

describe('udp-pktinfo elsewhere', () => {
  it('load() returns undefined and says that the addon is Linux-only', () => {
    // Run on every platform: a child process that sees another platform before it loads the package.
    const script = `Object.defineProperty(process, 'platform', { value: 'darwin' });
      import('${distUrl}').then(({ load, unavailableReason }) => console.log(load() === undefined, unavailableReason()));`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(
      'true @snmpkit/udp-pktinfo is Linux-only (IP_PKTINFO, recvmmsg, sendmmsg); this is darwin',
    );
  });
});
