/**
 * The -O letters: Net-SNMP's snmp_out_options, which sets some output modes (f n s S u a x) and toggles the
 * others. What the letters choose is @snmpkit/mib's display options, which print every OID and value; this file
 * only reads the command line.
 */
import type { FormatOptions } from '@snmpkit/mib';

/** The display options after the -O letters, every one set, as @snmpkit/mib's formatter takes them. */
export type OutputSettings = Required<FormatOptions>;

export function defaultOutputSettings(): OutputSettings {
  return {
    oidFormat: 'module',
    quick: false,
    quickEquals: false,
    noWrongType: false,
    valueOnly: false,
    numericEnums: false,
    numericTimeticks: false,
    noUnits: false,
    stringFormat: 'guess',
    hexText: false,
    extendedIndex: false,
    numericIndex: false,
    escapeQuotes: false,
    twoDigitHex: false,
  };
}

export type BooleanSetting = {
  [K in keyof OutputSettings]: OutputSettings[K] extends boolean ? K : never;
}[keyof OutputSettings];

/** The letters that toggle a boolean setting (each use flips it, so -Oqq is no -Oq). */
const TOGGLES: Readonly<Record<string, BooleanSetting>> = {
  q: 'quick',
  v: 'valueOnly',
  t: 'numericTimeticks',
  T: 'hexText',
  e: 'numericEnums',
  U: 'noUnits',
  b: 'numericIndex',
  E: 'escapeQuotes',
  X: 'extendedIndex',
  '0': 'twoDigitHex',
};

/** The letters that choose how OIDs print. */
const OID_FORMATS: Readonly<Record<string, OutputSettings['oidFormat']>> = {
  f: 'full',
  n: 'numeric',
  s: 'suffix',
  S: 'module',
  u: 'ucd',
};

/**
 * Applies one -O argument to `settings`; returns the first letter Net-SNMP would reject, or undefined.
 * (Net-SNMP's `-Op PRECISION` is not supported: it returns 'p'.)
 */
export function applyOutputFlags(settings: OutputSettings, flags: string): string | undefined {
  for (const letter of flags) {
    const toggled = Object.hasOwn(TOGGLES, letter) ? TOGGLES[letter] : undefined;
    if (toggled !== undefined) {
      settings[toggled] = !settings[toggled];
    } else if (Object.hasOwn(OID_FORMATS, letter)) {
      settings.oidFormat = OID_FORMATS[letter]!;
    } else if (letter === 'a' || letter === 'x') {
      settings.stringFormat = letter === 'a' ? 'ascii' : 'hex';
    } else if (letter === 'Q') {
      // -OQ toggles Net-SNMP's QUICKE_PRINT and QUICK_PRINT both.
      settings.quickEquals = !settings.quickEquals;
      settings.quick = !settings.quick;
    } else {
      return letter;
    }
  }
  return undefined;
}
