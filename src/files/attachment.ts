import { z } from 'zod';
import { sizeText } from './upload-rules.ts';

/** A file attached to a form's `file` field, as the revision keeps it: enough to list and to open it. */
export const attachmentSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1).max(200),
  size: z.number().int().min(0),
  sha256: z.string().length(64),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** The attachments in a stored value; anything else (an old or hand-edited value) reads as none. */
export function attachmentsIn(v: unknown): Attachment[] {
  const r = z.array(attachmentSchema).safeParse(v);
  return r.success ? r.data : [];
}

/** 《name》（1.2 MB）: how a file is listed on cards and in workbooks. */
export const attachmentText = (a: Attachment) => `${a.name}（${sizeText(a.size)}）`;
