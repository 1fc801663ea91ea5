import type ExcelJS from 'exceljs';

/*
 * A sheet laid out as an official form rather than a list (项目支出绩效自评表, 绩效目标申报表): boxed lines of cells,
 * merged where the form merges them, A4 landscape fitted to the page width.
 */

const thin = { style: 'thin' as const, color: { argb: 'FF999999' } };
const boxed = { top: thin, left: thin, bottom: thin, right: thin };

type Cell = string | number | null | [string | number | null, number, string?];

/** Writes a sheet line by line: each cell a value, or [value, columns it spans, number format]; all boxed. */
function lineWriter(ws: ExcelJS.Worksheet) {
  let row = 0;
  /** `head`: bold and centred, as a form's column heads; `title`: the form's name above it. */
  return (cells: Cell[], style?: 'head' | 'title') => {
    row++;
    let col = 1;
    for (const c of cells) {
      const [value, span, fmt] = Array.isArray(c) ? c : [c, 1];
      if (span > 1) ws.mergeCells(row, col, row, col + span - 1);
      const cell = ws.getCell(row, col);
      cell.value = value;
      if (fmt) cell.numFmt = fmt;
      for (let k = col; k < col + span; k++) ws.getCell(row, k).border = boxed;
      cell.alignment = { vertical: 'middle', wrapText: true, horizontal: style ? 'center' : undefined };
      if (style) cell.font = style === 'title' ? { bold: true, size: 16 } : { bold: true };
      col += span;
    }
  };
}

export type LineWriter = ReturnType<typeof lineWriter>;

/** A line of a label over two columns and its text over the other six (目标, 评价结论 …). */
export const labelled = (line: LineWriter, label: string, text: string) =>
  line([
    [label, 2],
    [text, 6],
  ]);

/** A new sheet named `name` (Excel allows 31 characters) with these column widths, and its line writer. */
export function formSheet(book: ExcelJS.Workbook, name: string, widths: number[]): LineWriter {
  const ws = book.addWorksheet(name.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return lineWriter(ws);
}
