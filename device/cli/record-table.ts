/** Grade records as a plain-text table for the terminal; a refused row prints its code and reason. */
import type { GradeRecordV1, HeadGrade } from '../grading/record.ts';

export interface TableRow {
  label: string;
  record?: GradeRecordV1;
  error?: { code: string; message: string };
}

function head(grade: HeadGrade): string {
  const pct = `${Math.round(grade.confidence * 100)}%`;
  return grade.grade === 'refer' ? `refer (${grade.top} ${pct})` : `${grade.grade} ${pct}`;
}

function cells(record: GradeRecordV1): string[] {
  const { colour, clarity, cut } = record.grades;
  return [record.id, head(colour), head(clarity), head(cut), `${record.carat.value.toFixed(2)} ct (${record.carat.depthSource} depth)`, record.createdAt];
}

export function formatTable(rows: TableRow[], labelHeader = 'FILE'): string {
  const header = [labelHeader, 'ID', 'COLOUR', 'CLARITY', 'CUT', 'CARAT', 'TIME'];
  const graded = rows.map((row) => (row.record ? [row.label, ...cells(row.record)] : undefined));
  const widths = header.map((h, i) => Math.max(h.length, ...graded.map((g) => (g ? g[i].length : i === 0 ? rows[0].label.length : 0)), ...rows.map((r) => (i === 0 ? r.label.length : 0))));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [
    line(header),
    ...rows.map((row, i) => (graded[i] ? line(graded[i]!) : `${row.label.padEnd(widths[0])}  REFUSED ${row.error?.code ?? 'UNKNOWN'}: ${row.error?.message ?? ''}`)),
  ].join('\n');
}
