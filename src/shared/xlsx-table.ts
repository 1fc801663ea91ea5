import type ExcelJS from 'exceljs';

/*
 * One sheet laid out as official tables are printed: a merged title row, an optional note row, a header row frozen
 * under them, number formats for 万元 and percentages, column widths, and A4 landscape fitted to the page width.
 */
export interface Column<Row> {
  header: string;
  width: number;
  value: (row: Row) => string | number | null;
  /** `wan`: 万元 with two decimals and thousands separators; `percent`: 0.00 %; `score`: two decimals. */
  format?: 'wan' | 'percent' | 'score';
}

const formats = { wan: '#,##0.00', percent: '0.00%', score: '0.00' } as const;
const border = { style: 'thin' as const, color: { argb: 'FF999999' } };
const boxed = { top: border, left: border, bottom: border, right: border };

export function addTableSheet<Row>(
  book: ExcelJS.Workbook,
  name: string,
  table: { title: string; note?: string; columns: Column<Row>[]; rows: Row[] },
): ExcelJS.Worksheet {
  const top = table.note ? 3 : 2;
  const ws = book.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: top }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.pageSetup.printTitlesRow = `${top}:${top}`;
  const last = table.columns.length;
  ws.mergeCells(1, 1, 1, last);
  Object.assign(ws.getCell(1, 1), { value: table.title });
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 28;
  if (table.note) {
    ws.mergeCells(2, 1, 2, last);
    ws.getCell(2, 1).value = table.note;
    ws.getCell(2, 1).alignment = { horizontal: 'left' };
  }
  const header = ws.getRow(top);
  table.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = boxed;
    ws.getColumn(i + 1).width = c.width;
  });
  table.rows.forEach((row, r) => {
    const line = ws.getRow(top + 1 + r);
    table.columns.forEach((c, i) => {
      const cell = line.getCell(i + 1);
      cell.value = c.value(row);
      cell.border = boxed;
      cell.alignment = { vertical: 'top', wrapText: typeof cell.value === 'string' };
      if (c.format) cell.numFmt = formats[c.format];
    });
  });
  return ws;
}
