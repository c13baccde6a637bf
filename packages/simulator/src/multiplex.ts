import type { VarBind } from '@snmpkit/ber';
import type { SubtreeProvider } from './device.js';
import type { ReadContext } from './variations.js';

/** One snapshot of a multiplex directory: its number (the file name's, `00003.snmprec` is 3) and its varbinds. */
export interface MultiplexSnapshot {
  number: number;
  varbinds: readonly VarBind[];
}

/** The arguments of `OID|:multiplex|dir=DIR,period=SECONDS[,wrap=1]`. */
export interface MultiplexSettings {
  /** The snapshot directory as written (relative to the data directory unless absolute). */
  dir: string;
  /** Seconds each snapshot is served (default 60). */
  period: number;
  /** Start again from the first snapshot after the last (default: stay on the last, as snmpsim). */
  wrap: boolean;
}

const KNOWN = ['dir', 'period', 'wrap', 'control'];

/** Reads the arguments, throwing RangeError for what snmpsim would not serve (or what is not implemented here). */
export function multiplexSettings(args: Map<string, string>): MultiplexSettings {
  for (const key of args.keys()) {
    if (!KNOWN.includes(key)) throw new RangeError(`multiplex: unknown argument "${key}" (known: ${KNOWN.join(', ')})`);
  }
  if (args.has('control')) {
    throw new RangeError('multiplex: "control" (choosing the snapshot by SET) is not supported; the period chooses it');
  }
  const dir = args.get('dir');
  if (!dir) throw new RangeError('multiplex: no dir= (the directory of numbered .snmprec snapshots)');
  const periodText = args.get('period');
  const period = periodText === undefined ? 60 : Number(periodText);
  if (!(period > 0)) throw new RangeError(`multiplex: period=${periodText} is not a positive number of seconds`);
  // Python's bool() of the text, as snmpsim reads it: any non-empty value (even "0") turns wrapping on.
  return { dir, period, wrap: args.has('wrap') && args.get('wrap') !== '' };
}

/**
 * snmpsim's `multiplex`: the subtree is served from one snapshot at a time, chosen by the agent's uptime: snapshot
 * slot `floor((t mod (period * count)) / period) + first number`, the last snapshot numbered at or below it. Without
 * `wrap` the choice never goes back, so after the last snapshot it stays there (as snmpsim's does); with `wrap` it
 * starts again from the first.
 */
export function multiplexProvider(
  settings: MultiplexSettings,
  snapshots: readonly MultiplexSnapshot[],
): SubtreeProvider {
  if (snapshots.length === 0) throw new RangeError(`multiplex: no .snmprec snapshots in ${settings.dir}`);
  const sorted = [...snapshots].sort((a, b) => a.number - b.number);
  const numbers = sorted.map((s) => s.number);
  let current: number | undefined;
  let lastUptimeMs = 0;
  return (ctx: ReadContext) => {
    // Uptime going back is a restart: the series starts again.
    if (ctx.uptimeMs < lastUptimeMs) current = undefined;
    lastUptimeMs = ctx.uptimeMs;
    const seconds = ctx.uptimeMs / 1000;
    const slot = Math.floor((seconds % (settings.period * sorted.length)) / settings.period) + numbers[0]!;
    let index = 0;
    while (index + 1 < numbers.length && numbers[index + 1]! <= slot) index++;
    if (current === undefined || current < index || settings.wrap) current = index;
    return sorted[current]!.varbinds;
  };
}
