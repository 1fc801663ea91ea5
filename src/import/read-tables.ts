import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import YAML from 'yaml';
import { AppError } from '../shared/errors.ts';

/** One input record with where it came from, so every error can name its row. */
export interface SourceRow {
  where: string;
  values: Record<string, unknown>;
}

/** A file read as named tables: YAML top-level lists, Excel sheets, or a single CSV table named `''`. */
export type Tables = Map<string, SourceRow[]>;

export async function readTables(file: string): Promise<Tables> {
  const ext = path.extname(file).toLowerCase();
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch {
    throw new AppError('import_failed', `无法读取文件 ${file}`);
  }
  if (ext === '.yaml' || ext === '.yml') return fromYaml(decodeUtf8(buf, file), file);
  if (ext === '.csv') return fromCsv(decodeUtf8(buf, file));
  if (ext === '.xlsx') return fromXlsx(buf);
  throw new AppError('import_failed', `不支持的文件类型 ${ext || '(无扩展名)'}：请使用 .yaml、.csv 或 .xlsx`);
}

function decodeUtf8(buf: Buffer, file: string): string {
  try {
    // Excel saves "CSV UTF-8" with a BOM; plain "CSV" from Chinese Excel is GBK, which we refuse rather than garble.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    throw new AppError(
      'import_failed',
      `${path.basename(file)} 不是 UTF-8 编码：请在 Excel 中另存为“CSV UTF-8”或直接使用 .xlsx`,
    );
  }
}

function fromYaml(text: string, file: string): Tables {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new AppError(
      'import_failed',
      `${path.basename(file)} 不是合法的 YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const tables: Tables = new Map();
  if (Array.isArray(doc)) doc = { '': doc };
  if (!doc || typeof doc !== 'object') throw new AppError('import_failed', `${path.basename(file)} 为空或格式不对`);
  for (const [name, list] of Object.entries(doc as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new AppError('import_failed', `${name} 应为列表`);
    tables.set(
      name,
      list.map((values, i) => ({
        where: `${name ? `${name} ` : ''}第 ${i + 1} 条`,
        values: values && typeof values === 'object' ? (values as Record<string, unknown>) : { __invalid: values },
      })),
    );
  }
  return tables;
}

async function fromCsv(text: string): Promise<Tables> {
  const wb = newWorkbook();
  // Keep every cell as text: codes such as "001" must not become numbers.
  const ws = await wb.csv.read(Readable.from([text]), { map: (v: string) => (v === '' ? null : v) } as never);
  return new Map([['', sheetRows(ws, '')]]);
}

async function fromXlsx(buf: Buffer): Promise<Tables> {
  const wb = newWorkbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('import_failed', '无法解析 Excel 文件：请确认是 .xlsx 格式（不支持旧版 .xls）');
  }
  const tables: Tables = new Map();
  wb.eachSheet((ws) => tables.set(ws.name, sheetRows(ws, ws.name)));
  return tables;
}

function sheetRows(ws: ExcelJS.Worksheet, label: string): SourceRow[] {
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
    header[col] = String(cellValue(cell.value) ?? '').trim();
  });
  const rows: SourceRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const values: Record<string, unknown> = {};
    let any = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const key = header[col];
      const v = cellValue(cell.value);
      if (key && v !== null && v !== '') {
        values[key] = v;
        any = true;
      }
    });
    if (any) rows.push({ where: `${label ? `${label} ` : ''}第 ${n} 行`, values });
  });
  return rows;
}

/** Flattens Excel's cell value shapes (rich text, formulas, hyperlinks) to a plain value. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim();
  if (typeof v !== 'object' || v instanceof Date) return v;
  if ('richText' in v)
    return v.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text).trim();
  if ('error' in v) return null;
  return String(v);
}
