import { execFileSync } from 'node:child_process';
import { decodeRecordValue, multiSplit, SNMPREC_TAGS } from './snmprec.js';
import type { ReadContext, ReadResult, ValueSource } from './variations.js';

/** How long a subprocess may run before its read fails (it holds the agent, as in snmpsim). */
const SUBPROCESS_TIMEOUT_MS = 10_000;

/** What a subprocess command line may refer to. */
export interface SubprocessRecord {
  oid: string;
  tag: number;
  /** The data file (snmpsim's @DATAFILE@). */
  dataFile: string;
}

/**
 * snmpsim's `subprocess`: the value is what a program prints (`1.3.6.1.2.1.1.3.0|2:subprocess|echo 123455`), read
 * as the record's type (a number's blanks and newline ignored; a string taken byte for byte). The command line is
 * split on blanks and run without a shell; @OID@, @TAG@, @ORIGOID@, @ORIGTAG@, @ORIGVALUE@, @DATAFILE@, @SETFLAG@,
 * @NEXTFLAG@ and @SUBTREEFLAG@ are replaced as snmpsim replaces them, the request's transport and security
 * placeholders by `<undefined>` (snmpsim's text where it does not know them). A program that fails, or runs past
 * 10 s, answers noSuchInstance, as in snmpsim. Reads only: a SET is notWritable.
 */
export class SubprocessVariation implements ValueSource {
  readonly #args: string[];
  readonly #record: SubprocessRecord;

  constructor(record: SubprocessRecord, text: string) {
    if (SNMPREC_TAGS[record.tag] === undefined) throw new RangeError(`subprocess: unknown tag ${record.tag}`);
    // Split on blanks as snmpsim splits it (a run of two or three separates when present).
    this.#args = multiSplit(text.trim(), ' ');
    if (this.#args[0] === '') throw new RangeError('subprocess: no command');
    this.#record = record;
  }

  read(ctx: ReadContext): ReadResult {
    const { oid, tag, dataFile } = this.#record;
    const replacements: Record<string, string> = {
      '@TRANSPORTDOMAIN@': '<undefined>',
      '@TRANSPORTADDRESS@': '<undefined>',
      '@SECURITYMODEL@': '<undefined>',
      '@SECURITYNAME@': '<undefined>',
      '@SECURITYLEVEL@': '<undefined>',
      '@CONTEXTNAME@': '<undefined>',
      '@DATAFILE@': dataFile,
      '@OID@': oid,
      '@TAG@': `${tag}:subprocess`,
      '@ORIGOID@': oid,
      '@ORIGTAG@': '5',
      '@ORIGVALUE@': '',
      '@SETFLAG@': ctx.operation === 'set' ? '1' : '0',
      '@NEXTFLAG@': ctx.operation === 'next' ? '1' : '0',
      '@SUBTREEFLAG@': '0',
    };
    const args = this.#args.map((arg) => arg.replace(/@[A-Z]+@/g, (m) => replacements[m] ?? m));
    let output: string;
    try {
      output = execFileSync(args[0]!, args.slice(1), {
        encoding: 'latin1',
        timeout: SUBPROCESS_TIMEOUT_MS,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return { value: { type: 'NoSuchInstance' } };
    }
    try {
      const text = tag === 4 || tag === 68 ? output : output.trim();
      return { value: decodeRecordValue(tag, text, 'plain') };
    } catch {
      return { value: { type: 'NoSuchInstance' } };
    }
  }
}
