/**
 * Test helper: SMIv2 text for a built-in module (names, OIDs, syntaxes, INDEX clauses; empty DESCRIPTIONs), so that
 * Net-SNMP's own tools can load exactly the structure snmpkit's built-in data describes and the two printers can be
 * compared on it. IETF module texts are not shipped on Debian (libsnmp-base lacks them).
 */
import type { ParsedModule, RawSyntax } from '../src/parser.js';

const SMI_TYPES = ['Integer32', 'Unsigned32', 'Counter32', 'Counter64', 'Gauge32', 'TimeTicks', 'IpAddress', 'Opaque'];

function syntaxText(s: RawSyntax | undefined): string {
  if (!s) return 'INTEGER';
  let text = s.base ?? s.label ?? 'INTEGER';
  if (s.enums) text += ` { ${s.enums.map((e) => `${e.label}(${e.value})`).join(', ')} }`;
  if (s.ranges) {
    const list = s.ranges.map((r) => (r.low === r.high ? `${r.low}` : `${r.low}..${r.high}`)).join(' | ');
    text += text.startsWith('OCTET STRING') ? ` (SIZE (${list}))` : ` (${list})`;
  }
  return text;
}

export function moduleText(parsed: ParsedModule): string {
  const imports = new Map<string, Set<string>>([
    ['SNMPv2-SMI', new Set(['OBJECT-TYPE', 'NOTIFICATION-TYPE', ...SMI_TYPES])],
    ['SNMPv2-TC', new Set(['TEXTUAL-CONVENTION'])],
  ]);
  for (const group of parsed.imports) {
    const set = imports.get(group.module) ?? new Set<string>();
    for (const s of group.symbols) set.add(s);
    imports.set(group.module, set);
  }
  const out = [`${parsed.name} DEFINITIONS ::= BEGIN`, 'IMPORTS'];
  const groups = [...imports].map(([module, symbols]) => `    ${[...symbols].join(', ')} FROM ${module}`);
  out.push(`${groups.join('\n')};`);
  const columns = new Map<string, string[]>();
  for (const item of parsed.items) {
    if (!('definition' in item)) continue;
    const parent = item.definition.oid?.[0]?.label;
    if (parent) columns.set(parent, [...(columns.get(parent) ?? []), item.definition.name]);
  }
  for (const item of parsed.items) {
    if ('typeAssignment' in item) {
      const t = item.typeAssignment;
      const hint = t.hint ? ` DISPLAY-HINT "${t.hint}"` : '';
      out.push(`${t.name} ::= TEXTUAL-CONVENTION${hint} STATUS current DESCRIPTION "" SYNTAX ${syntaxText(t.syntax)}`);
      continue;
    }
    const d = item.definition;
    const where = `::= { ${d.oid![0]!.label} ${d.oid![1]!.subid} }`;
    if (d.kind === 'oid') {
      out.push(`${d.name} OBJECT IDENTIFIER ${where}`);
    } else if (d.kind === 'notification-type') {
      const objects = d.objects ? ` OBJECTS { ${d.objects.join(', ')} }` : '';
      out.push(`${d.name} NOTIFICATION-TYPE${objects} STATUS current DESCRIPTION "" ${where}`);
    } else {
      const s = d.syntax;
      let syntax = syntaxText(s);
      if (s?.structured && !d.indexes && !d.augments) syntax = `SEQUENCE OF ${s.label}`;
      const index = d.indexes
        ? ` INDEX { ${d.indexes.map((i) => (i.implied ? `IMPLIED ${i.name}` : i.name)).join(', ')} }`
        : '';
      const augments = d.augments ? ` AUGMENTS { ${d.augments} }` : '';
      out.push(
        `${d.name} OBJECT-TYPE SYNTAX ${syntax} MAX-ACCESS ${d.access ?? 'read-only'} STATUS current DESCRIPTION ""${index}${augments} ${where}`,
      );
      if (s?.structured && (d.indexes || d.augments)) {
        const cols = columns.get(d.name) ?? [];
        out.push(`${s.label} ::= SEQUENCE { ${cols.map((c) => `${c} INTEGER`).join(', ')} }`);
      }
    }
  }
  out.push('END', '');
  return out.join('\n');
}
