/**
 * Net-SNMP's command-line grammar (snmp_parse_args): single-letter options whose argument is attached (`-v2c`,
 * `-Cr25`, `-On`) or the next word (`-v 2c`), options anywhere before `--` (GNU getopt permutes), plus snmpkit's
 * long options (`--json`, `--data PATH` ...). Parsing never exits or prints: it returns what it found or throws
 * UsageError, which the CLI prints the way Net-SNMP prints usage errors.
 */
import { applyOutputFlags, defaultOutputSettings, type OutputSettings } from './output-flags.js';

/**
 * An engine ID argument (-e, -E) as snmp_parse_args takes it: hex, with or without 0x, of whole bytes ("Bad engine
 * ID value after -3e flag." otherwise), 5 to 32 bytes long as RFC 3411's SnmpEngineID is ("Invalid ...").
 */
function checkEngineId(value: string, flag: 'e' | 'E'): string {
  const hex = value.replace(/^0x/i, '');
  if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2 !== 0) {
    throw new UsageError(`Bad engine ID value after -3${flag} flag.`);
  }
  if (hex.length < 10 || hex.length > 64) throw new UsageError(`Invalid engine ID value after -${flag} flag.`);
  return value;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Net-SNMP prints the usage text after some messages (a bad -v, -O, -t, -r) and not after others (-C). */
  readonly showUsage: boolean;
  constructor(message: string, showUsage = true) {
    super(message);
    this.showUsage = showUsage;
  }
}

/** -h, -H and -V: print something and stop, as Net-SNMP does. */
export class InfoRequest extends Error {
  override readonly name = 'InfoRequest';
  /**
   * `long`: asked as `--help`/`--version`, which Net-SNMP's tools do not take: answered as modern tools do (stdout,
   * exit 0) rather than as Net-SNMP answers -h (stderr, exit 1).
   */
  constructor(
    readonly what: 'help' | 'version',
    readonly long = false,
  ) {
    super(what);
  }
}

/** The options every Net-SNMP application command takes (snmp_parse_args). */
export interface CommonOptions {
  /** Net-SNMP's default is SNMPv3 when no -v is given. */
  version: '1' | '2c' | '3';
  /** True when -v was given: snmp.conf's defVersion applies only without it. */
  versionGiven?: boolean;
  community?: string;
  user?: string;
  level?: string;
  authProtocol?: string;
  authPassword?: string;
  privProtocol?: string;
  privPassword?: string;
  /**
   * -3m / -3M: the authentication / privacy master key (Ku, as the password would give it), hex; -3k / -3K: the key
   * localized to the agent's engine (Kul). snmpcmd(1); a localized key wins over -A/-X, which win over a master key.
   */
  authMasterKey?: string;
  privMasterKey?: string;
  authLocalizedKey?: string;
  privLocalizedKey?: string;
  /** -e: the security (authoritative) engine id, hex. */
  securityEngineId?: string;
  /** -E: the context engine id, hex. */
  contextEngineId?: string;
  /** -n: the context name. */
  context?: string;
  /** -r: retries. */
  retries?: number;
  /** -t: timeout in seconds (float). */
  timeout?: number;
  /** -m: MIB modules to load (colon separated, or ALL). */
  mibs?: string;
  /** -M: MIB directories (colon separated). */
  mibDirs?: string;
  /** -Z BOOTS,TIME: v3 traps' engine boots and time (snmptrap's -Z). */
  engineBootsTime?: { boots: number; time: number };
  /** -I: input flags, accumulated (`R`: random access to MIB labels, as snmptranslate -IR); -Is/-IS not among them. */
  inputFlags: string;
  /** -Is SUFFIX: appended to every OID argument before it is read (the last -Is counts). */
  oidSuffix?: string;
  /** -IS PREFIX: put before every OID argument before it is read (the last -IS counts). */
  oidPrefix?: string;
  /** -L: where Net-SNMP's log messages go (MIB complaints, unknown OIDs); absent: stderr. */
  log?: LogTarget;
  /** -d: dump packets in hex. */
  dump: boolean;
  /** -O: the output settings after every -O letter was applied in order. */
  output: OutputSettings;
  /** -C: application flags, each with its value (`r25` is { flag: 'r', value: '25' }). */
  appFlags: { flag: string; value: string }[];
  /** -T: snmptranslate's report letters, accumulated (only for a command whose ParseSpec declares reportFlags). */
  reports?: string;
  /** --json: one JSON object per varbind. */
  json: boolean;
  /** Long options that a command declared, by name. */
  long: Record<string, string[]>;
}

/**
 * A -L choice: where log messages go, and whether an error-level message (all those snmpkit logs are: Net-SNMP
 * logs them at LOG_ERR) passes its priority filter. Syslog snmpkit does not write: -Ls and -LS log nothing.
 */
export interface LogTarget {
  to: 'stderr' | 'stdout' | 'file' | 'none';
  /** With `to: 'file'`. */
  file?: string;
  /** False when -LE/-LO/-LF's priorities leave out LOG_ERR (-LE 0-2, -LE crit). */
  errors: boolean;
}

/** Net-SNMP's -I letters without an argument (b h r R u); s and S take one. */
const INPUT_LETTERS = 'bhrRu';

/** Net-SNMP's priority characters (any case), each with its syslog level. */
const PRIORITIES: Readonly<Record<string, number>> = { '!': 0, a: 1, c: 2, e: 3, w: 4, n: 5, i: 6, d: 7 };

function priorityLevel(c: string | undefined): number {
  if (c !== undefined && /^[0-7]$/.test(c)) return Number(c);
  const level = c === undefined ? undefined : PRIORITIES[c.toLowerCase()];
  if (level === undefined) throw new UsageError(`invalid priority: ${c ?? ''}`);
  return level;
}

/**
 * A -E/-O/-F/-S priority as Net-SNMP reads it: its first character (a level 0..7 or !acewnid), or `P1-P2`. True
 * when LOG_ERR is among the levels it lets through (P and more severe; P1 to P2).
 */
function priorityPassesErrors(text: string): boolean {
  const low = priorityLevel(text[0]);
  if (text[1] !== '-') return 3 <= low;
  const high = priorityLevel(text[2]);
  return Math.min(low, high) <= 3 && 3 <= Math.max(low, high);
}

/** A syslog facility as Net-SNMP reads it: its first character, d(aemon), u(ser) or 0..7 (local0..7). */
function checkFacility(text: string): void {
  if (!/^[du0-7]/i.test(text)) throw new UsageError(`invalid syslog facility: ${text[0] ?? ''}`);
}

export interface ParsedArgs {
  options: CommonOptions;
  positionals: string[];
}

/** Net-SNMP options that take an argument; others are flags. -D's argument is optional and attached only. */
const WITH_ARGUMENT = new Set([
  'v',
  'c',
  'u',
  'l',
  'a',
  'A',
  'x',
  'X',
  'e',
  'E',
  'n',
  'r',
  't',
  'm',
  'M',
  'O',
  'C',
  'Z',
  'P',
  'I',
  'L',
]);

/** What each -C flag letter of a command takes: 'number', 'oid' (the rest of the word) or 'none'. */
export type AppFlagSpec = Record<string, 'number' | 'oid' | 'none'>;

export interface ParseSpec {
  /** The -C flags this command understands. */
  appFlags?: AppFlagSpec;
  /** Long options this command takes with a value (repeatable), e.g. ['data', 'listen']. */
  longWithValue?: string[];
  /** Long options this command takes as switches. */
  longSwitches?: string[];
  /** The error for an unknown -C letter, where a command words it differently (snmptable). */
  badAppFlag?: (flag: string) => UsageError;
  /**
   * snmptranslate's -T report letters and its error for another letter. Only translate declares them: in Net-SNMP's
   * other tools -T is the transport option (-T LAYER=VALUE), so without this -T stays an invalid option.
   */
  reportFlags?: { letters: string; bad: (flag: string) => UsageError };
  /** The words for an unknown -I letter where a command words them differently (snmptranslate). */
  inputFlagWords?: string;
}

function parseVersion(value: string): CommonOptions['version'] {
  const v = value.toLowerCase();
  if (v === '1' || v === '2c' || v === '3') return v;
  throw new UsageError(`Invalid version specified after -v flag: ${value}`);
}

/** C's strtol prefix rule, as Net-SNMP reads -r: "3x" is 3, "x" and "-1" are errors. */
function parseRetries(value: string): number {
  const m = /^\s*\+?(\d+)/.exec(value);
  if (!m) throw new UsageError('Invalid number of retries after -r flag.');
  return Number(m[1]);
}

/** C's atof prefix rule, as Net-SNMP reads -t: "1.5s" is 1.5; zero, negative or no number is an error. */
function parseTimeout(value: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(value);
  const seconds = m ? Number(m[0]) : 0;
  if (!(seconds > 0)) throw new UsageError('Invalid timeout in seconds after -t flag.');
  return seconds;
}

export function parseArgs(words: readonly string[], spec: ParseSpec = {}): ParsedArgs {
  // A copy: "-dOn" is split into "-d" and "-On" in place, as getopt reads grouped flags.
  const argv = [...words];
  const options: CommonOptions = {
    version: '3',
    dump: false,
    inputFlags: '',
    output: defaultOutputSettings(),
    appFlags: [],
    json: false,
    long: {},
  };
  const positionals: string[] = [];
  let i = 0;
  const take = (letter: string, attached: string): string => {
    if (attached !== '') return attached;
    if (i >= argv.length) throw new UsageError(`option requires an argument -- '${letter}'`);
    return argv[i++]!;
  };
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      if (name === 'json') {
        options.json = true;
      } else if (name === 'help') {
        throw new InfoRequest('help', true);
      } else if (name === 'version') {
        throw new InfoRequest('version', true);
      } else if (spec.longSwitches?.includes(name)) {
        addLong(options, name, '');
      } else if (spec.longWithValue?.includes(name)) {
        const value = eq >= 0 ? arg.slice(eq + 1) : argv[i++];
        if (value === undefined) throw new UsageError(`option '--${name}' requires an argument`);
        addLong(options, name, value);
      } else {
        throw new UsageError(`unrecognized option '--${name}'`);
      }
      continue;
    }
    if (/^-3[^\d]/.test(arg)) {
      // -3X VALUE, -3XVALUE, -3X=VALUE: Net-SNMP's snmpv3_options (-3 followed by a digit stays a number below).
      const letter = arg[2]!;
      let value = arg.slice(3).replace(/^=/, '').trimStart();
      if (value === '') {
        if (i >= argv.length) throw new UsageError(`Missing argument after SNMPv3 '-3${letter}' option.`);
        value = argv[i++]!;
      }
      readSnmpv3Option(letter, value, options);
      continue;
    }
    if (arg.length < 2 || arg[0] !== '-' || /^-\d/.test(arg)) {
      // A lone '-', a negative number (an snmpset value: snmpkit is kinder than getopt here) or a word.
      positionals.push(arg);
      continue;
    }
    const letter = arg[1]!;
    const attached = arg.slice(2);
    if (letter === 'd' || letter === 'h' || letter === 'H' || letter === 'V' || letter === 'D') {
      // getopt reads "-dOn" as -d then -On; -D[TOKENS] takes its optional argument attached.
      if (letter === 'h' || letter === 'H') throw new InfoRequest('help');
      if (letter === 'V') throw new InfoRequest('version');
      if (letter === 'd') {
        options.dump = true;
        if (attached !== '') argv.splice(i, 0, `-${attached}`);
      }
      continue;
    }
    const reportFlags = letter === 'T' ? spec.reportFlags : undefined;
    if (!WITH_ARGUMENT.has(letter) && !reportFlags) throw new UsageError(`invalid option -- '${letter}'`);
    const value = take(letter, attached);
    if (reportFlags) {
      for (const flag of value) if (!reportFlags.letters.includes(flag)) throw reportFlags.bad(flag);
      options.reports = (options.reports ?? '') + value;
      continue;
    }
    switch (letter) {
      case 'v':
        options.version = parseVersion(value);
        options.versionGiven = true;
        break;
      case 'c':
        options.community = value;
        break;
      case 'r':
        options.retries = parseRetries(value);
        break;
      case 't':
        options.timeout = parseTimeout(value);
        break;
      case 'm':
        options.mibs = value;
        break;
      case 'M':
        options.mibDirs = value;
        break;
      case 'I':
        readInputFlags(value, options, () => take('I', ''), spec.inputFlagWords);
        break;
      case 'L':
        options.log = readLogOption(value, () => take('L', ''));
        break;
      case 'O': {
        const bad = applyOutputFlags(options.output, value);
        if (bad !== undefined) throw new UsageError(`Unknown output option passed to -O: ${bad}.`);
        break;
      }
      case 'C':
        parseAppFlags(value, spec, options.appFlags);
        break;
      default:
        // -u -l -a -A -x -X -e -E -n -Z: the SNMPv3 options, which -3 also takes (-3u ...).
        readV3Option(letter, value, options);
        break;
      // -P (MIB parsing): accepted for compatibility; it changes nothing snmpkit does.
    }
  }
  return { options, positionals };
}

/** A key after -3m/-3M/-3k/-3K: hex digits, `0x` optional, whole bytes (snmp_hex_to_binary), as Net-SNMP checks it. */
function checkKey(value: string, letter: string): string {
  if (!/^(0x)?([0-9a-f]{2})+$/i.test(value)) throw new UsageError(`Bad key value after -3${letter} flag.`);
  return value;
}

/**
 * Net-SNMP's -3 options (snmpv3_options): -3m/-3M/-3k/-3K keys, and the v3 options that also have a letter of their
 * own (-3u is -u, -3l -l, ..., -3Z -Z), read as those are (readV3Option).
 */
function readSnmpv3Option(letter: string, value: string, options: CommonOptions): void {
  const keys: Record<string, 'authMasterKey' | 'privMasterKey' | 'authLocalizedKey' | 'privLocalizedKey'> = {
    m: 'authMasterKey',
    M: 'privMasterKey',
    k: 'authLocalizedKey',
    K: 'privLocalizedKey',
  };
  const key = keys[letter];
  if (key) options[key] = checkKey(value, letter);
  else if (!readV3Option(letter, value, options)) {
    throw new UsageError(`Unknown SNMPv3 option passed to -3: ${letter}.`);
  }
}

/** -u -l -a -A -x -X -e -E -n -Z (alone or after -3): false for another letter. */
function readV3Option(letter: string, value: string, options: CommonOptions): boolean {
  switch (letter) {
    case 'u':
      options.user = value;
      return true;
    case 'l':
      options.level = value;
      return true;
    case 'a':
      options.authProtocol = value;
      return true;
    case 'A':
      options.authPassword = value;
      return true;
    case 'x':
      options.privProtocol = value;
      return true;
    case 'X':
      options.privPassword = value;
      return true;
    case 'e':
      options.securityEngineId = checkEngineId(value, 'e');
      return true;
    case 'E':
      options.contextEngineId = checkEngineId(value, 'E');
      return true;
    case 'n':
      options.context = value;
      return true;
    case 'Z':
      options.engineBootsTime = parseEngineBootsTime(value);
      return true;
    default:
      return false;
  }
}

/**
 * -Z BOOTS,TIME: the engine boots and time a v3 trap is sent with (snmptrap's -Z), with snmp_parse_args' messages.
 * Each must be a whole number in 0..2^31-1: snmptrap sends a negative one as it is, which no receiver accepts.
 */
function parseEngineBootsTime(value: string): { boots: number; time: number } {
  const [bootsText, timeText] = value.split(/,(.*)/s);
  const whole = (text: string | undefined) =>
    text !== undefined && /^\s*\d+/.test(text) ? Number(/\d+/.exec(text)![0]) : Number.NaN;
  const boots = whole(bootsText);
  if (!(boots <= 0x7fffffff)) throw new UsageError('Need engine boots value after -3Z flag.');
  if (timeText === undefined) throw new UsageError('Need engine time after "-Z engineBoot".');
  const time = whole(timeText);
  if (!(time <= 0x7fffffff)) throw new UsageError('Need engine time after "-3Z engineBoot,".');
  return { boots, time };
}

/** -I's letters; s and S take the rest of the word, or the next word when nothing follows them. */
function readInputFlags(
  value: string,
  options: CommonOptions,
  next: () => string,
  badWords = 'Unknown input option passed to -I',
): void {
  for (let k = 0; k < value.length; k++) {
    const letter = value[k]!;
    if (letter === 's' || letter === 'S') {
      const text = k + 1 < value.length ? value.slice(k + 1) : next();
      if (letter === 's') options.oidSuffix = text;
      else options.oidPrefix = text;
      return;
    }
    if (!INPUT_LETTERS.includes(letter)) throw new UsageError(`${badWords}: ${letter}.`);
    options.inputFlags += letter;
  }
}

/**
 * -L's argument: its first letter says where (e o n f s, or E O N F S with a priority); the letter's value is the
 * rest of the word or the next word, and F and S take their file or facility from the word after that.
 */
function readLogOption(value: string, next: () => string): LogTarget {
  const letter = value[0]!;
  const arg = () => (value.length > 1 ? value.slice(1) : next());
  switch (letter) {
    case 'e':
      return { to: 'stderr', errors: true };
    case 'o':
      return { to: 'stdout', errors: true };
    case 'n':
      return { to: 'none', errors: true };
    case 'f':
      return { to: 'file', file: arg(), errors: true };
    case 's':
      checkFacility(arg());
      return { to: 'none', errors: true };
    case 'E':
      return { to: 'stderr', errors: priorityPassesErrors(arg()) };
    case 'O':
      return { to: 'stdout', errors: priorityPassesErrors(arg()) };
    case 'N':
      priorityPassesErrors(arg());
      return { to: 'none', errors: true };
    case 'F': {
      const errors = priorityPassesErrors(arg());
      return { to: 'file', file: next(), errors };
    }
    case 'S': {
      priorityPassesErrors(arg());
      checkFacility(next());
      return { to: 'none', errors: true };
    }
    default:
      throw new UsageError(`Unknown logging option passed to -L: ${letter}.`);
  }
}

function addLong(options: CommonOptions, name: string, value: string): void {
  const values = options.long[name] ?? [];
  values.push(value);
  options.long[name] = values;
}

function parseAppFlags(value: string, spec: ParseSpec, out: { flag: string; value: string }[]): void {
  let k = 0;
  while (k < value.length) {
    const flag = value[k++]!;
    const kind = spec.appFlags?.[flag];
    if (kind === undefined) {
      throw spec.badAppFlag?.(flag) ?? new UsageError(`Unknown flag passed to -C: ${flag}`, false);
    }
    if (kind === 'none') {
      out.push({ flag, value: '' });
      continue;
    }
    const rest = value.slice(k);
    if (kind === 'number') {
      // Net-SNMP reads the number with strtol, right after the letter: without one (`-Cr`, `-Cr 5`, `-Crabc`,
      // `-Cnr3`) it prints its usage alone and exits 1. A sign is part of the number (-Cr-1 is refused later).
      const m = /^\s*([+-]?\d+)/.exec(rest);
      if (!m) throw new InfoRequest('help');
      out.push({ flag, value: m[1]!.replace(/^\+/, '') });
      k += m[0].length;
    } else {
      if (rest === '') throw new UsageError(`No OID given with -C${flag}`, false);
      out.push({ flag, value: rest });
      k = value.length;
    }
  }
}

/**
 * Net-SNMP applications whose -C letter takes the next word as its value (snmpwalk's `-CE OID`, snmptable's
 * `-Cf SEP`) read it with getopt's next argument, wherever the letter stands in its -C word. This takes such a
 * letter out of `words` with that value, before parseArgs sees them; undefined when the letter is not there.
 * Only for commands whose other -C letters take no attached value.
 */
export function takeAppFlagWord(words: string[], letter: string): string | undefined {
  const at = words.findIndex((w) => w.startsWith('-C') && w.indexOf(letter, 2) >= 0);
  if (at < 0) return undefined;
  const value = words[at + 1];
  if (value === undefined) throw new UsageError(`No value given with -C${letter}`, false);
  const word = words[at]!;
  const cut = word.indexOf(letter, 2);
  const rest = word.slice(0, cut) + word.slice(cut + 1);
  words.splice(at, 2, ...(rest === '-C' ? [] : [rest]));
  return value;
}

/**
 * takeAppFlagWord for every letter of `letters` (snmptable's f, c, r, w): each takes the next word, one word per
 * letter in the order the letters stand; given again, the last counts. `-C w 20` is `-Cw 20` (getopt gives -C the
 * next word when none is attached). Takes them and their words out of `words`; `missing` is a letter that found no
 * word left (the other letters of its word stay, to be checked by parseArgs).
 */
export function takeAppFlagWords(
  words: string[],
  letters: string,
): { values: Map<string, string>; missing: string | undefined } {
  for (let at = words.indexOf('-C'); at >= 0 && at + 1 < words.length; at = words.indexOf('-C', at + 1)) {
    words.splice(at, 2, `-C${words[at + 1]}`);
  }
  const values = new Map<string, string>();
  for (;;) {
    const word = words.find((w) => w.startsWith('-C') && [...w.slice(2)].some((l) => letters.includes(l)));
    if (word === undefined) return { values, missing: undefined };
    const letter = [...word.slice(2)].find((l) => letters.includes(l))!;
    const at = words.indexOf(word);
    if (at === words.length - 1) {
      const cut = word.indexOf(letter, 2);
      const rest = word.slice(0, cut) + word.slice(cut + 1);
      words.splice(at, 1, ...(rest === '-C' ? [] : [rest]));
      return { values, missing: letter };
    }
    values.set(letter, takeAppFlagWord(words, letter)!);
  }
}

/** The last value given for -C`flag`, or undefined. */
export function appFlag(options: CommonOptions, flag: string): string | undefined {
  for (let i = options.appFlags.length - 1; i >= 0; i--) {
    if (options.appFlags[i]!.flag === flag) return options.appFlags[i]!.value;
  }
  return undefined;
}

/** How many times -C`flag` was given (Net-SNMP toggles some flags, such as -Cc, on each occurrence). */
export function appFlagCount(options: CommonOptions, flag: string): number {
  return options.appFlags.filter((f) => f.flag === flag).length;
}
