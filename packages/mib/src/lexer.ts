/**
 * Tokenizer for SMI module text. It follows the token rules Net-SNMP's parser uses, because the
 * point of this package is to read the same files the same way: `--` starts a comment that ends at
 * the end of the line or at the next `--`; quoted strings keep their line breaks (carriage returns
 * are dropped); `'0F'H` and `'0101'B` constants become decimal numbers; labels are letters, digits,
 * `-` and (a common vendor sloppiness) `_`.
 */

export const enum TokenKind {
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

function isLabelChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 45 || // -
    code === 95 // _
  );
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function quotedNumber(body: string, radix: 'h' | 'b'): string | undefined {
  if (body.length === 0) return '0';
  const valid = radix === 'h' ? /^[0-9a-fA-F]+$/ : /^[01]+$/;
  if (!valid.test(body)) return undefined;
  return BigInt(radix === 'h' ? `0x${body}` : `0b${body}`).toString();
}

export function tokenize(text: string): TokenList {
  const kinds: TokenKind[] = [];
  const texts: string[] = [];
  const lines: number[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  const push = (kind: TokenKind, t: string, at: number): void => {
    kinds.push(kind);
    texts.push(t);
    lines.push(at);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      // Comment: to end of line or to the next "--".
      i += 2;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10) break;
        if (d === 45 && text.charCodeAt(i + 1) === 45) {
          i += 2;
          break;
        }
        i++;
      }
      continue;
    }
    const startLine = line;
    if (c === 34) {
      // Quoted string: no escapes in SMI; CR is dropped as Net-SNMP does.
      let j = i + 1;
      let s = '';
      let chunkStart = j;
      while (j < n && text.charCodeAt(j) !== 34) {
        const d = text.charCodeAt(j);
        if (d === 10) line++;
        else if (d === 13) {
          s += text.slice(chunkStart, j);
          chunkStart = j + 1;
        }
        j++;
      }
      s += text.slice(chunkStart, j);
      push(TokenKind.String, s, startLine);
      i = j + 1;
      continue;
    }
    if (c === 39) {
      // 'xx'H or 'bb'B constant.
      const close = text.indexOf("'", i + 1);
      if (close > 0) {
        const body = text.slice(i + 1, close);
        const radix = text[close + 1]?.toLowerCase();
        if ((radix === 'h' || radix === 'b') && !body.includes('\n')) {
          const value = quotedNumber(body, radix);
          push(value === undefined ? TokenKind.Word : TokenKind.Number, value ?? text.slice(i, close + 2), startLine);
          i = close + 2;
          continue;
        }
      }
      push(TokenKind.Word, "'", startLine);
      i++;
      continue;
    }
    if (c === 58 && text.startsWith('::=', i)) {
      push(TokenKind.Punct, '::=', startLine);
      i += 3;
      continue;
    }
    if (c === 46 && text.charCodeAt(i + 1) === 46) {
      push(TokenKind.Punct, '..', startLine);
      i += 2;
      continue;
    }
    if (isLabelChar(c)) {
      let j = i + 1;
      while (j < n && isLabelChar(text.charCodeAt(j))) {
        // A "--" inside a word starts a comment (e.g. "foo--comment").
        if (text.charCodeAt(j) === 45 && text.charCodeAt(j + 1) === 45) break;
        j++;
      }
      const word = text.slice(i, j);
      const numeric = /^-?[0-9]+$/.test(word);
      push(numeric ? TokenKind.Number : TokenKind.Word, word, startLine);
      i = j;
      continue;
    }
    push(TokenKind.Punct, text[i]!, startLine);
    i++;
  }
  return { kinds, texts, lines, count: kinds.length };
}
