/**
 * DISPLAY-HINT formatting (RFC 2579 section 3.1) as Net-SNMP 5.9 applies it, quirks included.
 */

const utf8 = new TextDecoder('utf-8');

/**
 * Text for 'a'/'t' hint bytes. Net-SNMP writes the bytes as they are; a UTF-8 terminal (or a
 * program reading its output as UTF-8) sees them decoded as UTF-8, invalid bytes as U+FFFD.
 */
function hintText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * Applies an OCTET STRING DISPLAY-HINT (RFC 2579 section 3.1) as Net-SNMP does; undefined on a bad hint.
 * `twoDigitHex` is -O0: a hex group below 16 gets a leading zero (`01:1b`, not `1:1b`).
 */
export function applyOctetHint(hint: string, bytes: Uint8Array, twoDigitHex = false): string | undefined {
  let out = '';
  let h = 0;
  let p = 0;
  let code = 'd';
  let width = 1;
  let separ = '';
  let term = '';
  while (p < bytes.length) {
    let repeat = 1;
    if (h < hint.length) {
      if (hint[h] === '*') {
        repeat = bytes[p++]!;
        h++;
      }
      width = 0;
      while (h < hint.length && hint[h]! >= '0' && hint[h]! <= '9') width = width * 10 + Number(hint[h++]);
      code = hint[h++] ?? '';
      const takes = (ch: string | undefined) =>
        ch !== undefined && ch !== '*' && !(ch >= '0' && ch <= '9') && (width !== 0 || !'xdo'.includes(ch));
      separ = takes(hint[h]) ? hint[h++]! : '';
      term = takes(hint[h]) ? hint[h++]! : '';
      if (width === 0) width = 1;
    }
    while (repeat > 0 && p < bytes.length) {
      if (code === 'a' || code === 't') {
        const end = Math.min(p + width, bytes.length);
        out += hintText(bytes.subarray(p, end));
        p = end;
      } else {
        let value = 0n;
        // Net-SNMP reads a whole group even past the end of the data (as zero bytes).
        for (let x = 0; x < width; x++) value = value * 256n + BigInt(bytes[p++] ?? 0);
        if (code === 'x') out += `${twoDigitHex && value < 16n ? '0' : ''}${value.toString(16)}`;
        else if (code === 'd') out += value.toString(10);
        else if (code === 'o') out += value.toString(8);
        else return undefined;
      }
      if (p < bytes.length && separ) out += separ;
      repeat--;
    }
    if (term && p < bytes.length) out += term;
  }
  return out;
}

/** Applies an integer DISPLAY-HINT (`d`, `d-2`, `x`, `o`, `b`) as Net-SNMP does. */
export function applyIntegerHint(hint: string, value: number, unsigned: boolean): string {
  const shift = hint[1] === '-' ? Number.parseInt(hint.slice(2), 10) || 0 : 0;
  const v = unsigned ? value >>> 0 : value | 0;
  const negative = hint[0] === 'd' && v < 0;
  const magnitude = negative ? -v : v >>> 0;
  let text: string;
  switch (hint[0]) {
    case 'x':
      text = magnitude.toString(16);
      break;
    case 'o':
      text = magnitude.toString(8);
      break;
    case 'b':
      text = magnitude.toString(2);
      break;
    default:
      text = String(magnitude);
  }
  const sign = negative ? '-' : '';
  if (shift === 0) return sign + text;
  // The decimal point goes `shift` digits from the right, with zeros in front when needed.
  if (shift < text.length) return `${sign}${text.slice(0, text.length - shift)}.${text.slice(text.length - shift)}`;
  return `${sign}.${text.padStart(shift, '0')}`;
}
