import { readdirSync, readFileSync } from 'node:fs';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address in dotted form as a 32-bit number, or undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** The address `k` after `first` (k = 0 is `first`); RangeError past 255.255.255.255. */
export function nthAddress(first: string, k: number): string {
  const base = parseIpv4(first);
  if (base === undefined) throw new RangeError(`not an IPv4 address: ${first}`);
  const value = base + k;
  if (value > 0xffffffff) throw new RangeError(`${first} + ${k} is past 255.255.255.255`);
  return formatIpv4(value);
}

/**
 * The process's open-file limit (RLIMIT_NOFILE, what `ulimit -n` shows), soft and hard, where the system says
 * (Linux's /proc/self/limits); undefined elsewhere. Node raises the soft limit to the hard one as it starts.
 */
export function openFileLimit(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const m = line && /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(line);
    if (!m) return undefined;
    const read = (v: string) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
    return { soft: read(m[1]!), hard: read(m[2]!) };
  } catch {
    return undefined;
  }
}

/** Files the process has open now (Linux's /proc/self/fd), or undefined where the system does not say. */
export function openFileCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/** What to do when a lab needs more sockets than the process may open: for error messages and the README. */
export function openFileAdvice(needed: number, limit: { soft: number; hard: number } | undefined): string {
  const want = needed + 256;
  const now = limit ? `the process may open ${limit.soft} files (RLIMIT_NOFILE, hard limit ${limit.hard})` : '';
  const raise =
    limit && want > limit.hard
      ? `raise the hard limit (as root: \`ulimit -Hn ${want}\` in the shell that starts the lab, LimitNOFILE=${want} in a systemd unit, or /etc/security/limits.conf)`
      : `raise it in the shell that starts the lab: \`ulimit -n ${want}\``;
  return `each device holds a socket per transport: this lab needs about ${needed} open files${now ? `, but ${now}` : ''}; ${raise}, or run fewer devices (or fewer transports) per process`;
}
