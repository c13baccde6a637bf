/**
 * Test helpers: a real snmpd on a loopback port picked at run time, and a GETBULK walker built
 * on @snmpkit/ber and node:dgram. Every start is paired with a stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeMessage, oidStartsWith, type VarBind } from '@snmpkit/ber';

export interface Snmpd {
  port: number;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  // A TCP probe finds a free number; snmpd binds UDP, so retry on the rare clash.
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startSnmpd(extraConfig: string[] = []): Promise<Snmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-mib-'));
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, ['rocommunity public 127.0.0.1', ...extraConfig].join('\n'));
  const port = await freeUdpPort();
  const pidFile = join(dir, 'snmpd.pid');
  const child: ChildProcess = spawn(
    'snmpd',
    ['-f', '-Lo', '-C', '-c', conf, '-I', '-smux', '-p', pidFile, `udp:127.0.0.1:${port}`],
    { env: { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: '', MIBDIRS: '/nonexistent' }, stdio: 'ignore' },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when it answers a request.
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await request(port, { oid: '1.3.6.1.2.1.1.1', bulk: false }, 200);
      return { port, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`snmpd did not start: ${readFileSync(conf, 'utf8')}`);
}

let nextId = 1000;

async function request(port: number, what: { oid: string; bulk: boolean }, timeoutMs = 2000): Promise<VarBind[]> {
  const requestId = nextId++;
  const varbinds = [{ oid: what.oid, value: { type: 'Null' as const } }];
  const pdu = what.bulk
    ? { type: 'GetBulkRequest' as const, requestId, nonRepeaters: 0, maxRepetitions: 25, varbinds }
    : { type: 'GetNextRequest' as const, requestId, errorStatus: 0, errorIndex: 0, varbinds };
  const socket = createSocket('udp4');
  try {
    return await new Promise<VarBind[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      socket.on('message', (bytes) => {
        const message = decodeMessage(new Uint8Array(bytes));
        if (message.version === 3 || !('requestId' in message.pdu) || message.pdu.requestId !== requestId) return;
        clearTimeout(timer);
        resolve(message.pdu.varbinds);
      });
      socket.send(encodeMessage({ version: 1, community: 'public', pdu }), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/** Walks a subtree with GETBULK, like snmpwalk -v2c. */
export async function walk(port: number, root: string): Promise<VarBind[]> {
  const out: VarBind[] = [];
  let oid = root;
  for (;;) {
    const batch = await request(port, { oid, bulk: true });
    for (const vb of batch) {
      if (vb.value.type === 'EndOfMibView' || !oidStartsWith(vb.oid, root) || vb.oid === root) return out;
      out.push(vb);
      oid = vb.oid;
    }
    if (batch.length === 0) return out;
  }
}
