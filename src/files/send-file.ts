import type ExcelJS from 'exceljs';
import type { ActionContext, CardResponse } from '../bot/bot-types.ts';
import { enqueueNew, queuedSince } from '../lark/outbox-repository.ts';
import { type FileStore, sha256 } from './file-store.ts';

/** A name Lark and every file system accept: no path separators or control characters, at most 100 characters. */
export const safeFileName = (name: string) =>
  name
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_')
    .trim()
    .slice(0, 100) || '文件';

const repeatMs = 30_000;

/**
 * Sends a stored file to the person who clicked, as a file message. The same file asked for again within 30 s (a
 * double click, a second tap while the first is on its way) goes once: a request is a repeat when one under the same
 * ref was queued in the last 30 s, and two at the same instant share an outbox key (person, file, half-minute).
 */
export async function sendStoredFile(
  ctx: ActionContext,
  file: { key: string; name: string },
): Promise<{ queued: boolean }> {
  const id = (salt: string) => sha256(Buffer.from(`${ctx.user.id}|${file.key}|${salt}`)).slice(0, 40);
  const ref = `file:${id('')}`;
  if (await queuedSince(ctx.tx, ref, ctx.now - repeatMs)) return { queued: false };
  const uuid = `file-${id(String(Math.floor(ctx.now / repeatMs)))}`;
  const message = {
    kind: 'file' as const,
    receiveId: ctx.openId,
    fileKey: file.key,
    fileName: safeFileName(file.name),
  };
  return { queued: (await enqueueNew(ctx.tx, [{ message, uuid, ref }], ctx.now)) > 0 };
}

/**
 * 导出 from a card: the workbook is written to the file store under a key naming who asked and what, then sent to them
 * as a file message (uploaded through im/v1/files on delivery). `what` identifies the export and its scope.
 */
export async function sendWorkbook(
  ctx: ActionContext,
  book: ExcelJS.Workbook,
  fileName: string,
  what: string,
): Promise<CardResponse> {
  // One key per person and export: a repeat overwrites the same file instead of leaving another behind.
  const key = `exports/${sha256(Buffer.from(`${ctx.user.id}|${what}`)).slice(0, 32)}.xlsx`;
  await ctx.deps.files.put(key, Buffer.from(await book.xlsx.writeBuffer()));
  const { queued } = await sendStoredFile(ctx, { key, name: `${safeFileName(fileName)}.xlsx` });
  return {
    toast: queued
      ? { type: 'success', content: `已生成《${fileName}》，稍后以文件消息发给你` }
      : { type: 'info', content: '刚刚已导出，请在对话中查看文件' },
  };
}

/** How long an export stays in the file store: long after its file message went out (or gave up). */
export const EXPORT_RETENTION_MS = 7 * 86_400_000;

/** Removes exports older than the retention; the pruner runs it hourly. */
export const pruneExports = (files: FileStore, now: number) => files.prune('exports/', now - EXPORT_RETENTION_MS);
