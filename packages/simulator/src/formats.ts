import { canonicalOid } from './oid.js';
import { DataFormatError, isPythonSpace, type SnmprecRecord } from './snmprec.js';

/**
 * The other data formats snmpsim reads, as .snmprec records: SimpleAgentPro's `.sapwalk` and the `.dump`/`.MVC`
 * format of older simulators. Both are line-based; blank lines and `#` comments are skipped as in every format.
 */

function strip(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && isPythonSpace(text.charCodeAt(from))) from++;
  while (to > from && isPythonSpace(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

/** Calls `visit(fields, lineNumber)` with each data line split on the first two `separator`s; throws on fewer. */
function forEachLine(
  text: string,
  separator: string,
  source: string | undefined,
  expected: string,
  visit: (fields: [string, string, string], line: number) => void,
): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = strip(lines[i]!);
    if (line === '' || line.startsWith('#')) continue;
    const first = line.indexOf(separator);
    const second = first < 0 ? -1 : line.indexOf(separator, first + 1);
    if (second < 0) throw new DataFormatError(`expected ${expected}`, i + 1, source);
    visit([strip(line.slice(0, first)), strip(line.slice(first + 1, second)), strip(line.slice(second + 1))], i + 1);
  }
}

function recordOid(text: string, line: number, source: string | undefined): string {
  const oid = text.startsWith('.') ? text.slice(1) : text;
  if (!/^\d+(\.\d+)+$/.test(oid)) throw new DataFormatError(`bad OID "${text}": expected dotted numbers`, line, source);
  return canonicalOid(oid);
}

/** SimpleAgentPro's types, as snmpsim maps them to .snmprec tags. */
const SAPWALK_TAGS: Readonly<Record<string, number>> = {
  Counter: 65,
  Gauge: 66,
  Integer: 2,
  IpAddress: 64,
  ObjectID: 6,
  OctetString: 4,
  TimeTicks: 67,
  Counter64: 70,
};

/** `.sapwalk`: `OID, Type, Value` per line (blanks around each field ignored); an OctetString `0x...` is hex. */
export function parseSapwalk(text: string, source?: string): SnmprecRecord[] {
  const records: SnmprecRecord[] = [];
  forEachLine(text, ',', source, '"OID, Type, Value"', ([oidText, type, value], line) => {
    const oid = recordOid(oidText, line, source);
    const tag = SAPWALK_TAGS[type];
    if (tag === undefined) {
      const known = Object.keys(SAPWALK_TAGS).join(', ');
      throw new DataFormatError(`unknown type "${type}" (known: ${known})`, line, source, oid);
    }
    const hex = tag === 4 && value.startsWith('0x');
    records.push({
      oid,
      tag,
      encoding: hex ? 'hex' : 'plain',
      module: undefined,
      text: hex ? value.slice(2) : value,
      line,
    });
  });
  return records;
}

/** The `.dump`/`.MVC` type codes (0-9), as snmpsim maps them to .snmprec tags. */
const DUMP_TAGS: readonly number[] = [65, 66, 2, 64, 5, 6, 4, 67, 65, 70];

/**
 * `.dump` and `.MVC`: `OID|CODE|VALUE` per line with a one-digit type code; an OCTET STRING is `hex: 0a.1b.2c`,
 * quoted text or plain text.
 */
export function parseDump(text: string, source?: string): SnmprecRecord[] {
  const records: SnmprecRecord[] = [];
  forEachLine(text, '|', source, 'OID|CODE|VALUE', ([oidText, code, value], line) => {
    const oid = recordOid(oidText, line, source);
    const tag = /^\d$/.test(code) ? DUMP_TAGS[Number(code)] : undefined;
    if (tag === undefined) throw new DataFormatError(`unknown type code "${code}" (known: 0 to 9)`, line, source, oid);
    let encoding: SnmprecRecord['encoding'] = 'plain';
    let v = tag === 5 ? '' : value;
    if (tag === 4 && v.slice(0, 5).toLowerCase() === 'hex: ') {
      encoding = 'hex';
      v = v
        .slice(5)
        .split('.')
        .map((byte) => byte.trim().padStart(2, '0'))
        .join('');
    } else if (tag === 4 && v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    records.push({ oid, tag, encoding, module: undefined, text: v, line });
  });
  return records;
}
