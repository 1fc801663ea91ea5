import type { Executor } from '../db/database.ts';
import { type Attachment, attachmentText } from './attachment.ts';
import { attachable, storedUploadsOf } from './upload-repository.ts';

/**
 * A page's file inputs (upload ids from the card's multi-select) as attachments, or the first id that may not be
 * attached: only files the unit's people (or the filler) sent the bot and the bot kept.
 */
export async function resolveAttachments(
  db: Executor,
  ids: string[],
  departmentIds: number[],
): Promise<{ attachments: Attachment[] } | { error: string }> {
  if (ids.some((id) => !/^\d{1,10}$/.test(id))) return { error: '所选文件无效，请重新选择' };
  const wanted = [...new Set(ids.map(Number))];
  const found = await attachable(db, wanted, departmentIds);
  if (wanted.some((id) => !found.has(id))) return { error: '所选文件不可用（只能附加本单位发给机器人的文件）' };
  return {
    attachments: wanted.map((id) => {
      const u = found.get(id)!;
      return { id, name: u.name, size: u.size ?? 0, sha256: u.sha256 ?? '' };
    }),
  };
}

/** What a page offers to attach: the department's recent stored uploads, newest first. */
export async function attachableOptions(db: Executor, departmentIds: number[]) {
  const lists = await Promise.all(departmentIds.map((d) => storedUploadsOf(db, d)));
  return lists
    .flat()
    .sort((a, b) => b.id - a.id)
    .map((u) => ({
      value: String(u.id),
      label: attachmentText({ id: u.id, name: u.name, size: u.size ?? 0, sha256: u.sha256 ?? '' }),
    }));
}
