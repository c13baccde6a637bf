/**
 * A malformed `--user` spec makes simulate and trapd fail with a reason, never with the spec's passwords (issue 17):
 * fields out of place (a password where a protocol belongs), too few or too many fields, a bad engine ID.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSnmpkit } from './run-snmpkit.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '../data/sample-device.snmprec');
const SECRET_A = 'Hush-Auth-9876';
const SECRET_P = 'Hush-Priv-5432';

const SPECS = [
  `alice:${SECRET_A}:SHA`, // the password where the protocol belongs
  `alice:SHA:${SECRET_A}:${SECRET_P}`, // four fields
  `alice:SHA:${SECRET_A}:AES:${SECRET_P}:extra`, // six fields
  `alice:SHA:${SECRET_A}:${SECRET_P}:AES`, // the privacy password where its protocol belongs
  `:SHA:${SECRET_A}:AES:${SECRET_P}`, // no name
];

describe('a malformed --user spec prints the reason, not the passwords', () => {
  for (const command of ['simulate', 'trapd'] as const) {
    for (const spec of SPECS) {
      it(`${command} --user ${spec.replaceAll(SECRET_A, 'A').replaceAll(SECRET_P, 'P')}`, async () => {
        const args =
          command === 'simulate'
            ? ['simulate', '--data', DATA, '--listen', 'udp:127.0.0.1:0', '--user', spec]
            : ['trapd', '--listen', 'udp:127.0.0.1:0', '--user', spec];
        const result = await runSnmpkit(args, { timeoutMs: 20_000 });
        expect(result.exitCode).not.toBe(0);
        expect(result.exitCode).not.toBeNull();
        const output = result.stdout + result.stderr;
        expect(output).toMatch(/--user /);
        expect(output).not.toContain(SECRET_A);
        expect(output).not.toContain(SECRET_P);
        expect(output).not.toMatch(/\n\s+at /);
      });
    }
  }
});
