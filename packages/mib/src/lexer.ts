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
 * One token (or run of blanks) per match. A regular expression does the scanning because the
 * engine's compiled matcher is fast from the first call, which matters for a CLI's cold start.
 * Groups: 1 newline, 2 string body, 3 quoted-constant body, 4 its radix, 5 word.
 */
const SCANNER =
  /(\n)|[ \t\r\f\v]+|--(?:[^\n-]|-(?!-))*(?:--)?|"([^"]*)"|'([^'\n]*)'([HhBb])?|::=|\.\.|((?:[A-Za-z0-9_]|-(?!-))+)|[\s\S]/y;
const NUMBER = /^-?[0-9]+$/;

export function tokenize(text: string): TokenList {
  const kinds: TokenKind[] = [];
  const texts: string[] = [];
  const lines: number[] = [];
  let line = 1;
  SCANNER.lastIndex = 0;
  for (let m = SCANNER.exec(text); m !== null; m = SCANNER.exec(text)) {
    if (m[1] !== undefined) {
      line++;
      continue;
    }
    const first = m[0].charCodeAt(0);
    if (m[5] !== undefined) {
      kinds.push(NUMBER.test(m[5]) ? TokenKind.Number : TokenKind.Word);
      texts.push(m[5]);
      lines.push(line);
    } else if (m[2] !== undefined) {
      // Quoted string: no escapes in SMI; CR is dropped as Net-SNMP does.
      const body = m[2];
      kinds.push(TokenKind.String);
      texts.push(body.includes('\r') ? body.replace(/\r/g, '') : body);
      lines.push(line);
      for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) line++;
    } else if (m[3] !== undefined) {
      const radix = m[4]?.toLowerCase() as 'h' | 'b' | undefined;
      const value = radix ? quotedNumber(m[3], radix) : undefined;
      kinds.push(value === undefined ? TokenKind.Word : TokenKind.Number);
      texts.push(value ?? m[0]);
      lines.push(line);
    } else if (first === 32 || first === 9 || first === 13 || first === 12 || first === 11) {
      // blanks
    } else if (first === 45 && m[0].charCodeAt(1) === 45) {
      // comment
    } else {
      kinds.push(TokenKind.Punct);
      texts.push(m[0]);
      lines.push(line);
    }
  }
  return { kinds, texts, lines, count: kinds.length };
}
