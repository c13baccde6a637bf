/**
 * Tokenizer for SMI module text. It follows the token rules Net-SNMP's parser uses, because the
 * point of this package is to read the same files the same way: `--` starts a comment that ends at
 * the end of the line or at the next `--`; quoted strings keep their line breaks (carriage returns
 * are dropped); `'0F'H` and `'0101'B` constants become decimal numbers; labels are letters, digits,
 * `-` and (a common vendor sloppiness) `_`.
 */

export enum TokenKind {
  Word = 0,
  Number = 1,
  String = 2,
  Punct = 3,
}

/** Tokens as parallel arrays: cheaper to build and walk than one object per token. */
export interface TokenList {
  kinds: TokenKind[];
  texts: string[];
  lines: number[];
  count: number;
}

function quotedNumber(body: string, radix: 'h' | 'b'): string | undefined {
  if (body.length === 0) return '0';
  const valid = radix === 'h' ? /^[0-9a-fA-F]+$/ : /^[01]+$/;
  if (!valid.test(body)) return undefined;
  return BigInt(radix === 'h' ? `0x${body}` : `0b${body}`).toString();
}

/**
 * One token per match, with the blanks and comments before it. A regular expression does the
 * scanning because the engine's compiled matcher is fast from the first call, which matters for a
 * CLI's cold start. Groups: 1 string body, 2 quoted-constant body, 3 its radix, 4 word, 5 punctuation.
 */
const SCANNER =
  /(?:\s+|--(?:[^\n-]|-(?!-))*(?:--)?)*(?:"([^"]*)"|'([^'\n]*)'([HhBb])?|((?:[A-Za-z0-9_]|-(?!-))+)|(::=|\.\.|[\s\S]))?/y;
const NUMBER = /^-?[0-9]+$/;

export function tokenize(text: string): TokenList {
  const kinds: TokenKind[] = [];
  const texts: string[] = [];
  const starts: number[] = [];
  SCANNER.lastIndex = 0;
  while (SCANNER.lastIndex < text.length) {
    const m = SCANNER.exec(text);
    if (m === null) break;
    const end = SCANNER.lastIndex;
    if (m[4] !== undefined) {
      kinds.push(NUMBER.test(m[4]) ? TokenKind.Number : TokenKind.Word);
      texts.push(m[4]);
      starts.push(end - m[4].length);
    } else if (m[5] !== undefined) {
      kinds.push(TokenKind.Punct);
      texts.push(m[5]);
      starts.push(end - m[5].length);
    } else if (m[1] !== undefined) {
      // Quoted string: no escapes in SMI; CR is dropped as Net-SNMP does.
      const body = m[1];
      kinds.push(TokenKind.String);
      texts.push(body.includes('\r') ? body.replace(/\r/g, '') : body);
      starts.push(end - body.length - 2);
    } else if (m[2] !== undefined) {
      const radix = m[3]?.toLowerCase() as 'h' | 'b' | undefined;
      const value = radix ? quotedNumber(m[2], radix) : undefined;
      const raw = `'${m[2]}'${m[3] ?? ''}`;
      kinds.push(value === undefined ? TokenKind.Word : TokenKind.Number);
      texts.push(value ?? raw);
      starts.push(end - raw.length);
    } else {
      break; // only blanks and comments were left
    }
  }
  // Line numbers from the token offsets, counting line breaks with the native indexOf.
  const lines = new Array<number>(starts.length);
  let line = 1;
  let nl = text.indexOf('\n');
  for (let i = 0; i < starts.length; i++) {
    const at = starts[i]!;
    while (nl !== -1 && nl < at) {
      line++;
      nl = text.indexOf('\n', nl + 1);
    }
    lines[i] = line;
  }
  return { kinds, texts, lines, count: kinds.length };
}
