/** decode --json prints JSON (issue 17: it printed the text form): one object per message, varbinds as get --json. */
import { describe, expect, it } from 'vitest';
import { runSnmpkit } from './run-snmpkit.js';

// A v2c GET of sysDescr.0, and a v1 enterprise-specific Trap from 127.0.0.1.
const GET = '302902010104067075626c6963a01c0204126e3c9a020100020100300e300c06082b060102010101000500';
const TRAP_V1 = '302702010004067075626c6963a41a06072b06010401bf0840047f0000010201060201014301003000';

describe('decode --json', () => {
  it('prints the message as one JSON object', async () => {
    const r = await runSnmpkit(['decode', '--json', GET]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      version: '2c',
      bytes: 43,
      community: 'public',
      pdu: {
        type: 'GetRequest',
        requestId: 309214362,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [
          {
            oid: '1.3.6.1.2.1.1.1.0',
            name: 'iso.3.6.1.2.1.1.1.0',
            type: 'Null',
            value: null,
            display: 'NULL',
            text: 'NULL',
          },
        ],
      },
    });
  });

  it('prints a v1 Trap with its fields, and still refuses what is not a message', async () => {
    const r = await runSnmpkit(['decode', '--json', TRAP_V1]);
    expect(r.exitCode, r.stderr).toBe(0);
    const trap = JSON.parse(r.stdout);
    expect(trap).toMatchObject({ version: '1', pdu: { type: 'TrapV1', genericTrap: 6, specificTrap: 1 } });
    const bad = await runSnmpkit(['decode', '--json', '3003020101']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^snmpkit decode: not an SNMP message/);
  });
});
