/**
 * SMIv1/SMIv2 module parser: text in, plain definitions out. It does no linking (that needs the
 * imported modules) and no I/O. Clauses are accepted in any order and unknown clauses inside the
 * macros that only matter for conformance are skipped, so sloppy vendor modules still load.
 */
import { type TokenList, tokenize } from './lexer.js';
import type {
  Access,
  BaseType,
  EnumItem,
  IndexItem,
  MibDiagnostic,
  NodeKind,
  ObjectClauses,
  Range,
  Status,
} from './types.js';

/** Where a module failed to parse; the message names file and line like Net-SNMP's. */
export class MibParseError extends Error {
  readonly file: string;
  readonly line: number;
  readonly module: string | undefined;
  constructor(message: string, file: string, line: number, module?: string) {
    super(`${message} at line ${line} in ${file}${module ? ` (module ${module})` : ''}`);
    this.name = 'MibParseError';
    this.file = file;
    this.line = line;
    this.module = module;
  }
}

export interface RawSyntax {
  /** A built-in type keyword, when the syntax names one. */
  base?: BaseType;
  /** A type reference (textual convention, or a SEQUENCE type name) when the syntax names one. */
  label?: string;
  /** `SEQUENCE OF X` (a table) or `SEQUENCE { ... }` / `CHOICE { ... }`. */
  structured?: boolean;
  enums?: EnumItem[];
  ranges?: Range[];
}

export interface OidPart {
  label?: string;
  subid?: number;
}

export interface Definition extends ObjectClauses {
  name: string;
  kind: NodeKind;
  line: number;
  /** The OID value; for SMIv1 traps see `trap`. */
  oid?: OidPart[];
  trap?: { enterprise: string; number: number };
  syntax?: RawSyntax;
}

export interface TypeAssignment {
  name: string;
  line: number;
  /** Undefined for types Net-SNMP does not register (tagged, SEQUENCE and CHOICE types). */
  syntax?: RawSyntax;
  hint?: string;
  description?: string;
  status?: Status;
}

export type ModuleItem = { definition: Definition } | { typeAssignment: TypeAssignment };

export interface ImportGroup {
  module: string;
  symbols: string[];
  line: number;
}

export interface ParsedModule {
  name: string;
  file: string;
  line: number;
  imports: ImportGroup[];
  items: ModuleItem[];
}

export interface ParseResult {
  modules: ParsedModule[];
  errors: MibDiagnostic[];
}

/**
 * Words that are keywords to Net-SNMP. An import of only keywords (`OBJECT-TYPE FROM RFC-1212`)
 * does not load the module; we follow that so that the same modules load in the same order.
 */
const KEYWORDS = new Set([
  'obsolete',
  'Opaque',
  'optional',
  'LAST-UPDATED',
  'ORGANIZATION',
  'CONTACT-INFO',
  'MODULE-IDENTITY',
  'MODULE-COMPLIANCE',
  'DEFINITIONS',
  'END',
  'AUGMENTS',
  'not-accessible',
  'write-only',
  'NsapAddress',
  'UNITS',
  'REFERENCE',
  'NUM-ENTRIES',
  'BITSTRING',
  'BITS',
  'Counter64',
  'TimeTicks',
  'NOTIFICATION-TYPE',
  'OBJECT-GROUP',
  'OBJECT-IDENTITY',
  'IDENTIFIER',
  'OBJECT',
  'NetworkAddress',
  'Gauge',
  'Gauge32',
  'Unsigned32',
  'read-write',
  'read-create',
  'OCTETSTRING',
  'OF',
  'SEQUENCE',
  'NULL',
  'IpAddress',
  'UInteger32',
  'INTEGER',
  'Integer32',
  'Counter',
  'Counter32',
  'read-only',
  'DESCRIPTION',
  'INDEX',
  'DEFVAL',
  'deprecated',
  'SIZE',
  'MAX-ACCESS',
  'ACCESS',
  'mandatory',
  'current',
  'STATUS',
  'SYNTAX',
  'OBJECT-TYPE',
  'TRAP-TYPE',
  'ENTERPRISE',
  'BEGIN',
  'IMPORTS',
  'EXPORTS',
  'accessible-for-notify',
  'TEXTUAL-CONVENTION',
  'NOTIFICATION-GROUP',
  'DISPLAY-HINT',
  'FROM',
  'AGENT-CAPABILITIES',
  'MACRO',
  'IMPLIED',
  'SUPPORTS',
  'INCLUDES',
  'VARIATION',
  'REVISION',
  'not-implemented',
  'OBJECTS',
  'NOTIFICATIONS',
  'MODULE',
  'MIN-ACCESS',
  'PRODUCT-RELEASE',
  'WRITE-SYNTAX',
  'CREATION-REQUIRES',
  'MANDATORY-GROUPS',
  'GROUP',
  'CHOICE',
  'IMPLICIT',
  'ObjectSyntax',
  'SimpleSyntax',
  'ApplicationSyntax',
  'ObjectName',
  'NotificationName',
  'VARIABLES',
]);

const BASE_TYPES: Record<string, BaseType> = {
  INTEGER: 'INTEGER',
  Integer32: 'Integer32',
  Unsigned32: 'Unsigned32',
  UInteger32: 'UInteger32',
  Counter: 'Counter32',
  Counter32: 'Counter32',
  Gauge: 'Gauge32',
  Gauge32: 'Gauge32',
  TimeTicks: 'TimeTicks',
  Counter64: 'Counter64',
  IpAddress: 'IpAddress',
  NetworkAddress: 'NetworkAddress',
  Opaque: 'Opaque',
  NULL: 'NULL',
  NsapAddress: 'NsapAddress',
  BITS: 'BITS',
  BITSTRING: 'BITS',
  OCTETSTRING: 'OCTET STRING',
};

const ACCESS_VALUES = new Set<string>([
  'read-only',
  'read-write',
  'write-only',
  'not-accessible',
  'accessible-for-notify',
  'read-create',
  'not-implemented',
]);
const STATUS_VALUES = new Set<string>(['mandatory', 'optional', 'obsolete', 'deprecated', 'current']);

const MACRO_KINDS: Record<string, NodeKind> = {
  'OBJECT-TYPE': 'object-type',
  'OBJECT-IDENTITY': 'object-identity',
  'MODULE-IDENTITY': 'module-identity',
  'NOTIFICATION-TYPE': 'notification-type',
  'TRAP-TYPE': 'trap-type',
  'OBJECT-GROUP': 'object-group',
  'NOTIFICATION-GROUP': 'notification-group',
  'MODULE-COMPLIANCE': 'module-compliance',
  'AGENT-CAPABILITIES': 'agent-capabilities',
};

class Cursor {
  pos = 0;
  module: string | undefined;
  constructor(
    readonly tokens: TokenList,
    readonly file: string,
  ) {}
  get done(): boolean {
    return this.pos >= this.tokens.count;
  }
  peek(offset = 0): string | undefined {
    return this.tokens.texts[this.pos + offset];
  }
  isString(offset = 0): boolean {
    return this.tokens.kinds[this.pos + offset] === 2;
  }
  isNumber(offset = 0): boolean {
    return this.tokens.kinds[this.pos + offset] === 1;
  }
  line(): number {
    return this.tokens.lines[Math.min(this.pos, this.tokens.count - 1)] ?? 1;
  }
  next(): string {
    if (this.pos >= this.tokens.count) throw this.error('Unexpected end of file');
    return this.tokens.texts[this.pos++]!;
  }
  expect(text: string): void {
    const got = this.peek();
    if (got !== text) {
      throw this.error(`Expected "${text}" but found ${got === undefined ? 'end of file' : `"${got}"`}`, true);
    }
    this.pos++;
  }
  accept(text: string): boolean {
    if (this.peek() === text) {
      this.pos++;
      return true;
    }
    return false;
  }
  string(what: string): string {
    if (!this.isString()) throw this.error(`${what} must be a quoted string`, true);
    return this.next();
  }
  /** An error at the token just read (or, with `atNext`, at the one about to be read). */
  error(message: string, atNext = false): MibParseError {
    const at = atNext || this.pos === 0 ? this.pos : this.pos - 1;
    const line = this.tokens.lines[Math.min(at, this.tokens.count - 1)] ?? 1;
    return new MibParseError(message, this.file, line, this.module);
  }
  /** Skips a balanced `{ ... }` (or `( ... )`) group whose opener is the current token. */
  skipGroup(): void {
    const open = this.next();
    const close = open === '{' ? '}' : open === '(' ? ')' : ']';
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (this.tokens.kinds[this.pos - 1] !== 3) continue;
      if (t === open) depth++;
      else if (t === close) depth--;
    }
  }
}

/** Parses every module in one file. Modules that fail are reported in `errors` and left out. */
export function parseModules(text: string, file: string): ParseResult {
  const c = new Cursor(tokenize(text), file);
  const modules: ParsedModule[] = [];
  const errors: MibDiagnostic[] = [];
  while (!c.done) {
    const start = c.pos;
    try {
      modules.push(parseModule(c, errors));
    } catch (err) {
      if (!(err instanceof MibParseError)) throw err;
      errors.push({ module: err.module, file, line: err.line, message: err.message });
      // Resynchronise after the failed module's END so that later modules in the file still load.
      c.pos = Math.max(c.pos, start + 1);
      while (!c.done && c.peek() !== 'END') c.pos++;
      c.pos++;
    }
    c.module = undefined;
  }
  return { modules, errors };
}

/** Reads just the module name a file defines (for indexing a directory) from the text's first tokens. */
export function moduleNameOf(text: string): string | undefined {
  const match = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z][A-Za-z0-9_-]*)\s*(?:\{[^}]*\}\s*)?DEFINITIONS\b/.exec(text);
  return match?.[1];
}

function parseModule(c: Cursor, warnings: MibDiagnostic[]): ParsedModule {
  const line = c.line();
  const name = c.next();
  c.module = name;
  if (c.peek() === '{') c.skipGroup();
  c.expect('DEFINITIONS');
  while (!c.done && c.peek() !== 'BEGIN') c.pos++;
  c.expect('BEGIN');
  const module: ParsedModule = { name, file: c.file, line, imports: [], items: [] };
  for (;;) {
    if (c.done) {
      // A module cut short before its END keeps what it defined; the file is reported.
      const e = c.error('Missing END of module');
      warnings.push({ module: module.name, file: c.file, line: e.line, message: e.message });
      return module;
    }
    const t = c.peek()!;
    if (t === 'END') {
      c.pos++;
      return module;
    }
    if (t === 'IMPORTS') {
      c.pos++;
      parseImports(c, module);
      continue;
    }
    if (t === 'EXPORTS') {
      while (c.next() !== ';');
      continue;
    }
    parseAssignment(c, module);
  }
}

function parseImports(c: Cursor, module: ParsedModule): void {
  let symbols: string[] = [];
  for (;;) {
    const t = c.next();
    if (t === ';') return;
    if (t === ',') continue;
    if (t === 'FROM') {
      const line = c.line();
      const from = c.next();
      module.imports.push({ module: from, symbols, line });
      symbols = [];
      continue;
    }
    if (!KEYWORDS.has(t)) symbols.push(t);
  }
}

function parseAssignment(c: Cursor, module: ParsedModule): void {
  const line = c.line();
  const name = c.next();
  const op = c.peek();
  if (op === '::=') {
    c.pos++;
    const typeAssignment = parseTypeAssignment(c, name, line);
    module.items.push({ typeAssignment });
    return;
  }
  if (op === 'MACRO') {
    while (c.next() !== 'END');
    return;
  }
  if (op === 'OBJECT' && c.peek(1) === 'IDENTIFIER') {
    c.pos += 2;
    c.expect('::=');
    module.items.push({ definition: { name, kind: 'oid', line, oid: parseOidValue(c) } });
    return;
  }
  const kind = op === undefined ? undefined : MACRO_KINDS[op];
  if (kind === undefined) {
    // An ASN.1 value assignment ("maxValue INTEGER ::= 2147483647") defines no node: skip it.
    const at = c.peek(1) === '::=' ? 1 : c.peek(2) === '::=' ? 2 : -1;
    if (at > 0 && op !== undefined && /^[A-Za-z]/.test(op)) {
      c.pos += at + 1;
      if (c.peek() === '{') c.skipGroup();
      else c.next();
      return;
    }
    throw c.error(`Bad operator "${op ?? 'end of file'}" after "${name}"`);
  }
  c.pos++;
  const definition: Definition = { name, kind, line };
  parseClauses(c, definition);
  if (kind === 'trap-type') {
    if (!c.isNumber()) throw c.error('Expected a number after TRAP-TYPE "::="');
    if (definition.trap === undefined) throw c.error(`TRAP-TYPE ${name} has no ENTERPRISE`);
    definition.trap.number = Number(c.next());
  } else {
    definition.oid = parseOidValue(c);
  }
  module.items.push({ definition });
}

/** Reads the macro clauses up to and including "::=". */
function parseClauses(c: Cursor, d: Definition): void {
  // Conformance macros repeat DESCRIPTION inside their groups; only the first one describes the node.
  const generic = d.kind !== 'object-type' && d.kind !== 'notification-type' && d.kind !== 'trap-type';
  for (;;) {
    const t = c.next();
    switch (t) {
      case '::=':
        return;
      case 'SYNTAX':
        if (generic) {
          parseSyntax(c);
          break;
        }
        d.syntax = parseSyntax(c);
        break;
      case 'UNITS':
        d.units = c.string('UNITS');
        break;
      case 'ACCESS':
      case 'MAX-ACCESS': {
        const a = c.next();
        if (!ACCESS_VALUES.has(a)) throw c.error(`Bad ACCESS value "${a}"`);
        if (!generic) d.access = a as Access;
        break;
      }
      case 'MIN-ACCESS':
        c.next();
        break;
      case 'STATUS': {
        const s = c.next();
        if (!STATUS_VALUES.has(s)) throw c.error(`Bad STATUS value "${s}"`);
        d.status ??= s as Status;
        break;
      }
      case 'DESCRIPTION': {
        const text = c.string('DESCRIPTION');
        d.description ??= text;
        break;
      }
      case 'REFERENCE': {
        const text = c.string('REFERENCE');
        d.reference ??= text;
        break;
      }
      case 'INDEX':
        if (generic) break;
        d.indexes = parseIndexList(c);
        break;
      case 'AUGMENTS': {
        const list = parseIndexList(c);
        if (!generic) d.augments = list[0]?.name;
        break;
      }
      case 'DEFVAL':
        if (generic) {
          if (c.peek() === '{') c.skipGroup();
          break;
        }
        d.defval = parseDefval(c);
        break;
      case 'OBJECTS':
      case 'VARIABLES':
      case 'NOTIFICATIONS': {
        if (c.peek() !== '{') break;
        const list = parseNameList(c);
        if (!generic && t !== 'NOTIFICATIONS') d.objects = list;
        break;
      }
      case 'ENTERPRISE': {
        const braced = c.accept('{');
        const enterprise = c.next();
        if (braced) c.expect('}');
        d.trap = { enterprise, number: 0 };
        break;
      }
      case 'NUM-ENTRIES':
        if (c.peek() === '{') c.skipGroup();
        break;
      default:
        if (!generic) throw c.error(`Bad format of optional clauses ("${t}") in ${d.name}`);
        if (t === '{' || t === '(') {
          c.pos--;
          c.skipGroup();
        }
    }
  }
}

function parseIndexList(c: Cursor): IndexItem[] {
  c.expect('{');
  const items: IndexItem[] = [];
  let implied = false;
  for (;;) {
    const t = c.next();
    if (t === '}') return items;
    if (t === ',') continue;
    if (t === 'IMPLIED') {
      implied = true;
      continue;
    }
    // SMIv1 tables may index by a bare type ("INDEX { INTEGER }"); "OCTET STRING" arrives as two words.
    if (t === 'OCTET' && c.peek() === 'STRING') c.pos++;
    if (t === 'OBJECT' && c.peek() === 'IDENTIFIER') c.pos++;
    items.push({ name: t, implied });
    implied = false;
  }
}

function parseNameList(c: Cursor): string[] {
  c.expect('{');
  const names: string[] = [];
  for (;;) {
    const t = c.next();
    if (t === '}') return names;
    if (t !== ',') names.push(t);
  }
}

/** DEFVAL text as Net-SNMP keeps it: tokens joined by spaces, quoted strings as \"...\". */
function parseDefval(c: Cursor): string {
  c.expect('{');
  const parts: string[] = [];
  let depth = 1;
  for (;;) {
    const isString = c.isString();
    const t = c.next();
    if (!isString && t === '}' && --depth === 0) break;
    if (!isString && t === '{') depth++;
    parts.push(isString ? `\\"${t}\\"` : t);
  }
  return parts.join(' ');
}

function parseOidValue(c: Cursor): OidPart[] {
  c.expect('{');
  const parts: OidPart[] = [];
  for (;;) {
    if (c.isNumber()) {
      parts.push({ subid: Number(c.next()) });
      continue;
    }
    const t = c.next();
    if (t === '}') break;
    if (t === ',' || t === '.') continue;
    if (c.accept('(')) {
      if (!c.isNumber()) throw c.error(`Expected a number in "${t}(...)"`);
      const subid = Number(c.next());
      c.expect(')');
      parts.push({ label: t, subid });
    } else {
      parts.push({ label: t });
    }
  }
  if (parts.length === 0) throw c.error('Empty object identifier');
  return parts;
}

function parseTypeAssignment(c: Cursor, name: string, line: number): TypeAssignment {
  const t = c.peek();
  if (t === 'TEXTUAL-CONVENTION') {
    c.pos++;
    const ta: TypeAssignment = { name, line };
    for (;;) {
      const k = c.next();
      if (k === 'SYNTAX') break;
      if (k === 'DISPLAY-HINT') ta.hint = c.string('DISPLAY-HINT');
      else if (k === 'DESCRIPTION') ta.description = c.string('DESCRIPTION');
      else if (k === 'REFERENCE') c.string('REFERENCE');
      else if (k === 'STATUS') ta.status = c.next() as Status;
      else throw c.error(`Bad clause "${k}" in TEXTUAL-CONVENTION ${name}`);
    }
    ta.syntax = parseSyntax(c);
    return ta;
  }
  if (t === '[') {
    // "[APPLICATION n] IMPLICIT type": the SMI's own base types, which Net-SNMP knows as keywords.
    c.skipGroup();
    c.accept('IMPLICIT');
    parseSyntax(c);
    return { name, line };
  }
  const syntax = parseSyntax(c);
  return syntax.structured ? { name, line } : { name, line, syntax };
}

function parseSyntax(c: Cursor): RawSyntax {
  const t = c.next();
  let syntax: RawSyntax;
  if (t === 'OCTET' || t === 'BIT') {
    c.expect('STRING');
    syntax = { base: t === 'OCTET' ? 'OCTET STRING' : 'BITS' };
  } else if (t === 'OBJECT') {
    c.expect('IDENTIFIER');
    syntax = { base: 'OBJECT IDENTIFIER' };
  } else if (t === 'SEQUENCE' || t === 'CHOICE') {
    // "SEQUENCE (SIZE (0..n)) OF X": the size constraint of a list type says nothing we keep.
    if (t === 'SEQUENCE' && c.peek() === '(') c.skipGroup();
    if (t === 'SEQUENCE' && c.accept('OF')) {
      return { label: c.next(), structured: true };
    }
    if (c.peek() === '{') c.skipGroup();
    return { structured: true };
  } else if (t === '[') {
    c.pos--;
    c.skipGroup();
    c.accept('IMPLICIT');
    return parseSyntax(c);
  } else {
    const base = BASE_TYPES[t];
    syntax = base ? { base } : { label: t };
  }
  if (c.peek() === '{' && !c.isString()) syntax.enums = parseEnums(c);
  else if (c.peek() === '(' && !c.isString()) syntax.ranges = parseRanges(c);
  return syntax;
}

function parseEnums(c: Cursor): EnumItem[] {
  c.expect('{');
  const items: EnumItem[] = [];
  for (;;) {
    const t = c.next();
    if (t === '}') return items;
    if (t === ',') continue;
    c.expect('(');
    if (!c.isNumber()) throw c.error(`Expected an integer for enumeration "${t}"`);
    const value = Number(c.next());
    c.expect(')');
    items.push({ label: t, value });
  }
}

function rangeValue(c: Cursor): bigint {
  // MIN and MAX read as 0, which is what Net-SNMP's strtol() makes of them.
  if (c.isNumber()) return BigInt(c.next());
  c.next();
  return 0n;
}

function parseRanges(c: Cursor): Range[] {
  c.expect('(');
  const size = c.accept('SIZE');
  if (size) c.expect('(');
  const ranges: Range[] = [];
  for (;;) {
    const low = rangeValue(c);
    const high = c.accept('..') ? rangeValue(c) : low;
    ranges.push({ low, high });
    if (!c.accept('|')) break;
  }
  c.expect(')');
  if (size) c.expect(')');
  return ranges;
}
