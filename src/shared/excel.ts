import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

const require = createRequire(import.meta.url);
let loaded: typeof ExcelJS | undefined;

/**
 * A new exceljs workbook. exceljs is loaded on the first workbook, not at start-up: it costs ~0.4 s and ~28 MB, and
 * most instances go days without an import or an export. It is CommonJS, so a synchronous require can load it late
 * without making every workbook builder async.
 */
export function newWorkbook(): ExcelJS.Workbook {
  loaded ??= require('exceljs') as typeof ExcelJS;
  return new loaded.Workbook();
}
