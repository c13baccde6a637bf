import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeMessage, SnmpValue } from '@snmpkit/ber';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, AgentConfigError, agentUserFromSpec, Device, ErrorStatus, startSimulator } from '../src/index.js';
import { ask, getPdu, setPdu, show } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-api-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('user specs', () => {
  it('reads NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]] with either naming', () => {
    expect(agentUserFromSpec('guest', 'rw')).toEqual({ name: 'guest', level: 'noAuthNoPriv', access: 'rw' });
    expect(agentUserFromSpec('a:SHA-256:authpass123', 'ro')).toEqual({
      name: 'a',
      level: 'authNoPriv',
      authProtocol: 'sha256',
      authPassword: 'authpass123',
      access: 'ro',
    });
    expect(agentUserFromSpec('b:md5:authpass123:AES-256-C:privpass123')).toMatchObject({
      level: 'authPriv',
      authProtocol: 'md5',
      privProtocol: 'aes256c',
      privPassword: 'privpass123',
    });
    expect(() => agentUserFromSpec('c:SHA')).toThrow(/expected NAME/);
    expect(() => agentUserFromSpec('c:SHA')).toThrow(AgentConfigError);
    // The reader trapd's --user uses: Net-SNMP's abbreviation SHA-2 (SHA-224), and 3DES.
    expect(agentUserFromSpec('d:SHA-2:authpass123:3DES:privpass123')).toMatchObject({
      authProtocol: 'sha224',
      privProtocol: '3des',
    });
    expect(() => agentUserFromSpec('e:SHA:authpass123@80001f8804')).toThrow(/belong to its own engine/);
    expect(() => agentUserFromSpec('c:WHIRLPOOL:authpass123')).toThrow(
      /field 2 is not a known authentication protocol/,
    );
    expect(() => agentUserFromSpec('c:SHA:authpass123:ROT13:privpass123')).toThrow(
      /field 4 is not a known privacy protocol/,
    );
  });
});

describe('startSimulator', () => {
  it('in directory mode makes the named devices writable with rwCommunities, and refuses unknown names', async () => {
    const devices = join(dir, 'devices');
    await mkdir(devices);
    await writeFile(join(devices, 'router.snmprec'), '1.3.6.1.2.1.1.5.0|4:writecache|value=r1\n');
    await writeFile(join(devices, 'switch.snmprec'), '1.3.6.1.2.1.1.5.0|4:writecache|value=s1\n');
    await writeFile(join(devices, 'notes.md'), 'not data\n');
    const sim = await startSimulator({ data: devices, rwCommunities: ['router'] });
    expect(sim.communities).toEqual([
      { name: 'router', access: 'rw' },
      { name: 'switch', access: 'ro' },
      // snmpsim's index of the data files.
      { name: 'index', access: 'ro' },
    ]);
    expect(sim.endpoints).toEqual([]);
    const write = (community: string) =>
      ask(sim.agent, setPdu(['1.3.6.1.2.1.1.5.0', SnmpValue.octetString('new')]), community);
    expect((await write('router')).errorStatus).toBe(0);
    expect((await write('switch')).errorStatus).toBe(ErrorStatus.noAccess);
    await sim.close();
    await expect(startSimulator({ data: devices, communities: ['public'] })).rejects.toThrow(/names no data file/);
  });

  it('in file mode serves the communities given, and nothing else', async () => {
    const file = join(dir, 'one.snmprec');
    await writeFile(file, '1.3.6.1.2.1.1.1.0|4|one\n');
    const sim = await startSimulator({
      data: file,
      communities: ['c1'],
      rwCommunities: ['c2'],
      engineId: '8000000001',
    });
    expect(sim.communities).toEqual([
      { name: 'c1', access: 'ro' },
      { name: 'c2', access: 'rw' },
    ]);
    expect(sim.engineId).toBe('8000000001');
    expect(show((await ask(sim.agent, getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), 'c1')).varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:one',
    ]);
    await sim.close();
  });

  it('loads walk files and data with a bad line says where', async () => {
    const walk = join(dir, 'dev.walk');
    await writeFile(walk, '.1.3.6.1.2.1.1.1.0 = STRING: "walked"\n');
    const sim = await startSimulator({ data: walk });
    expect(sim.agent.device()?.get('1.3.6.1.2.1.1.1.0')).toEqual(SnmpValue.octetString('walked'));
    await sim.close();
    const bad = join(dir, 'bad.snmprec');
    await writeFile(bad, '1.3.6.1.2.1.1.1.0|4|fine\n1.3.6.1.2.1.1.2.0|4\n');
    await expect(startSimulator({ data: bad })).rejects.toThrow(/bad\.snmprec:2: expected OID\|TAG\|VALUE/);
  });
});

describe('TCP framing', () => {
  it('reads messages split across chunks and several in one chunk', async () => {
    const agent = new Agent({ device: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|tcp device\n') });
    const listener = await agent.listen('tcp:127.0.0.1:0');
    const socket = net.connect({ host: '127.0.0.1', port: listener.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const replies: number[] = [];
    let buffered = Buffer.alloc(0);
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered[1]!) {
          const m = decodeMessage(Uint8Array.from(buffered.subarray(0, 2 + buffered[1]!)));
          buffered = buffered.subarray(2 + buffered[1]!);
          if (m.version !== 3 && m.pdu.type !== 'TrapV1') replies.push(m.pdu.requestId);
          if (replies.length === 3) resolve();
        }
      });
    });
    const request = (id: number) =>
      Buffer.from(
        encodeMessage({
          version: 1,
          community: 'public',
          pdu: {
            type: 'GetRequest',
            requestId: id,
            errorStatus: 0,
            errorIndex: 0,
            varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: { type: 'Null' } }],
          },
        }),
      );
    const first = request(1);
    socket.write(first.subarray(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write(Buffer.concat([first.subarray(5), request(2), request(3)]));
    await done;
    expect(replies).toEqual([1, 2, 3]);
    socket.destroy();
    await agent.close();
  });
});
