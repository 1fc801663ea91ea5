import { z } from 'zod';
import type { CardAction } from '../bot/bot-types.ts';
import { idSchema } from '../bot/guards.ts';
import { attachmentsIn, sendStoredFile, storedFile } from '../files/index.ts';
import { currentOf, getRevision } from '../forms/index.ts';
import { readerOfSubmission } from './approval-guards.ts';

const openValue = z.object({ sid: idSchema, id: idSchema });

/**
 * 打开 a 佐证材料 on an approval card (or its copy): the file goes to whoever clicked as a Lark file message. Only a
 * file attached to one of the submission's revisions is sent; a double click sends it once.
 */
export const fileOpenAction: CardAction<z.infer<typeof openValue>> = {
  key: 'file.open',
  value: openValue,
  guard: readerOfSubmission,
  async run(ctx, { value: v }) {
    const current = (await currentOf(ctx, v.sid))!;
    let attached = false;
    for (let r = current.revision.revision; r >= 1 && !attached; r--) {
      const rev = r === current.revision.revision ? current.revision : await getRevision(ctx.tx, v.sid, r);
      attached = Object.values(rev?.data ?? {}).some((x) => attachmentsIn(x).some((a) => a.id === v.id));
    }
    const file = attached ? await storedFile(ctx.tx, v.id) : undefined;
    if (!file) return { toast: { type: 'warning', content: '该文件不在这份填报的佐证材料中' } };
    const { queued } = await sendStoredFile(ctx, file);
    return {
      toast: queued
        ? { type: 'success', content: `《${file.name}》已发送给您，请在对话中查看` }
        : { type: 'info', content: '刚刚已发送，请在对话中查看文件' },
    };
  },
};
