// Aligned text columns for the terminal: each cell padded to its column's width, columns two
// spaces apart, trailing spaces trimmed. Colour is applied after padding, so widths stay right.

export interface Column {
  title: string;
  align: 'left' | 'right';
}

/**
 * The header line and one line per row. `decorate(row, col, padded)` may wrap a padded cell
 * (in colour, say) without changing how the columns line up.
 */
export function alignColumns(
  columns: Column[],
  rows: string[][],
  decorate: (row: number, col: number, padded: string) => string = (_r, _c, padded) => padded,
): { header: string; lines: string[] } {
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const header = columns
    .map((c, i) => pad(c.title, i))
    .join('  ')
    .trimEnd();
  const lines = rows.map((cells, r) =>
    columns
      .map((_c, i) => decorate(r, i, pad(cells[i] ?? '', i)))
      .join('  ')
      .trimEnd(),
  );
  return { header, lines };
}
