/**
 * `snmpkit lab FILE` as a process, as a user runs it: it prints where each group listens and `lab ready`, answers
 * Net-SNMP's tools at each device's address, and stops cleanly on SIGTERM; a bad lab file names its line.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort, runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runSnmpkit } from './run-snmpkit.js';

const SAMPLE_DEVICE = join(dirname(fileURLToPath(import.meta.url)), '../data/sample-device.snmprec');
/** Loopback addresses of this run's own, so that parallel runs do not meet. */
const NET = `127.${20 + Math.floor(Math.random() * 80)}.${Math.floor(Math.random() * 250)}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-lab-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snmpkit lab', () => {
  it('starts the devices of a lab file, each answering Net-SNMP at its address, and stops on SIGTERM', async () => {
    // A port free on every address (the system picks one for a wildcard listener, then closes it), so that the
    // lab's devices share one socket.
    const port = await freeUdpPort();
    const path = join(dir, 'lab.conf');
    await writeFile(
      path,
      `group edge\n  template ${SAMPLE_DEVICE}\n  count 20\n  address ${NET}.1\n  port ${port}\n  override sysName edge-{n}\n`,
    );
    const child = spawn(process.execPath, [BIN, 'lab', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('lab ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`snmpkit lab exited with ${code}: ${err}`)));
    });
    try {
      const lines = out.split('\n');
      // One socket for the group: the installed command (a bundle) finds the udp-pktinfo addon too.
      expect(lines[0]).toBe(`group edge: 20 devices, udp ${NET}.1 .. ${NET}.20 port ${port} (udp: one socket)`);
      expect(lines[1]).toMatch(/^lab ready: 20 devices in \d+\.\d s$/);
      for (const n of [1, 20]) {
        const r = await runNetSnmp('snmpget', [
          '-v2c',
          '-c',
          'public',
          '-Oqv',
          `udp:${NET}.${n}:${port}`,
          '1.3.6.1.2.1.1.5.0',
        ]);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout.trim()).toBe(`"edge-${n}"`);
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
  });

  it('--socket-per-device: a UDP socket for each device, answering at its address', async () => {
    const port = await freeUdpPort();
    const path = join(dir, 'per-device.conf');
    await writeFile(path, `group solo\n  template ${SAMPLE_DEVICE}\n  count 2\n  address ${NET}.101\n  port ${port}\n`);
    const child = spawn(process.execPath, [BIN, 'lab', '--socket-per-device', path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('lab ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`snmpkit lab exited with ${code}`)));
    });
    try {
      expect(out.split('\n')[0]).toBe(
        `group solo: 2 devices, udp ${NET}.101 .. ${NET}.102 port ${port} (udp: a socket each)`,
      );
      const r = await runNetSnmp('snmpget', [
        '-v2c',
        '-c',
        'public',
        '-Oqv',
        `udp:${NET}.102:${port}`,
        '1.3.6.1.2.1.1.5.0',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad lab file, naming the file, the line and what was expected', async () => {
    const path = join(dir, 'bad.conf');
    await writeFile(path, `group a\n  template ${SAMPLE_DEVICE}\n  count many\n`);
    const r = await runSnmpkit(['lab', path]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`snmpkit lab: ${path}:3: count: expected a whole number from 1 to 16777215, got "many"\n`);
  });

  it('needs one lab file', async () => {
    const r = await runSnmpkit(['lab']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('lab needs one lab file: snmpkit lab FILE');
  });
});
