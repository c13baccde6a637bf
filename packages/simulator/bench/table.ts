/** The benchmark's table: ROWS rows x 5 columns under an enterprise OID, the same for every agent. */
export const TABLE_ENTRY = '1.3.6.1.4.1.99999.1.1.1';
export const COLUMNS = 5;

export type Cell =
  | { type: 'integer'; value: number }
  | { type: 'string'; value: string }
  | { type: 'counter'; value: number };

export function cell(column: number, row: number): Cell {
  if (column === 2 || column === 5) return { type: 'string', value: `row-${row}-col-${column}` };
  if (column === 4) return { type: 'counter', value: row * 1000 };
  return { type: 'integer', value: row };
}

/** The table as .snmprec text, sorted (column-major, as a table walk runs). */
export function tableSnmprec(rows: number): string {
  const lines: string[] = [];
  for (let c = 1; c <= COLUMNS; c++) {
    for (let r = 1; r <= rows; r++) {
      const v = cell(c, r);
      lines.push(`${TABLE_ENTRY}.${c}.${r}|${v.type === 'string' ? 4 : v.type === 'counter' ? 65 : 2}|${v.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The table as snmpd.conf `override` lines. */
export function tableOverrides(rows: number): string[] {
  const lines: string[] = [];
  for (let c = 1; c <= COLUMNS; c++) {
    for (let r = 1; r <= rows; r++) {
      const v = cell(c, r);
      const type = v.type === 'string' ? 'octet_str' : v.type === 'counter' ? 'counter' : 'integer';
      lines.push(`override .${TABLE_ENTRY}.${c}.${r} ${type} ${v.type === 'string' ? `"${v.value}"` : v.value}`);
    }
  }
  return lines;
}
