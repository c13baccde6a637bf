/** What the binary does when its output cannot be written: a full disk loses output, so it says so and fails. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, NO_MIBS } from './run-snmpkit.js';

// /dev/full (every write fails with ENOSPC) is Linux's; CI runs on Debian, where it always exists.
const noDevFull = existsSync('/dev/full') ? undefined : 'no /dev/full on this system (Linux has it; CI runs it)';
if (noDevFull) console.warn(`output-error tests skipped: ${noDevFull}`);
describe.skipIf(noDevFull !== undefined)(`output that cannot be written (${noDevFull ?? 'with /dev/full'})`, () => {
  it('a full disk (ENOSPC on stdout): one line on stderr, exit 1, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'translate', '1.3.6.1.2.1.1.1.0'], {
        stdio: ['ignore', full, 'pipe'],
        env: { ...process.env, ...NO_MIBS },
        timeout: 30_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr.toString()).toBe('snmpkit: cannot write the output: ENOSPC\n');
    } finally {
      closeSync(full);
    }
  });
});
