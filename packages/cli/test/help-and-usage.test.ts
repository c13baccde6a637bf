/**
 * --help and usage errors (issue 17). `--help` is not a Net-SNMP option: it answers on stdout with exit 0, as modern
 * tools do; `-h` stays Net-SNMP's (usage on stderr, exit 1). A usage error prints Net-SNMP's reason, then the
 * synopsis line its usage starts with and where the options are: not fifty lines of options after the reason.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns } from './golden-compare.js';
import { runSnmpkit } from './run-snmpkit.js';

describe('--help', () => {
  for (const command of ['get', 'walk', 'set', 'table', 'simulate', 'trapd', 'decode']) {
    it(`${command} --help: the whole usage on stdout, exit 0`, async () => {
      const r = await runSnmpkit([command, '--help']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^USAGE: snmpkit ${command} `));
      expect(r.stdout.split('\n').length).toBeGreaterThan(5);
    });
  }

  it('get -h stays as snmpget -h: the usage on stderr, exit 1', async () => {
    const r = await runSnmpkit(['get', '-h']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^USAGE: snmpkit get /);
  });
});

describe('usage errors', () => {
  it("print Net-SNMP's reason, the synopsis and a pointer to --help on one line, not the whole usage", async () => {
    const { theirs, ours } = await compareRuns('snmpget', ['-v', '9', 'localhost', '1.3.6.1.2.1.1.1.0']);
    // Net-SNMP follows its reason with the full usage (dozens of lines); the reason is the same.
    expect(theirs.stderr.split('\n').length).toBeGreaterThan(30);
    expect(ours.stderr).toBe(
      'Invalid version specified after -v flag: 9\n' +
        'USAGE: snmpkit get [OPTIONS] AGENT OID [OID]...   (snmpkit get --help lists the options)\n',
    );
    expect(ours.exitCode).toBe(1);
  });
});
