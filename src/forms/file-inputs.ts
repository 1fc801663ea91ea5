import type { BotContext } from '../bot/bot-types.ts';
import { resolveAttachments } from '../files/index.ts';
import { type FillState, fileDepartments } from './fill-state.ts';
import type { LeafField } from './form-schema.ts';

/**
 * A page's `file` inputs arrive as the upload ids chosen on the card. Before the engine parses the page, each becomes
 * the attachments it names (looked up, and limited to files the unit's people sent the bot), or the refusal to show at
 * the field. The engine never sees an id, and a forged attachment object is never taken as given.
 */
export async function resolveFileInputs(
  ctx: BotContext,
  s: FillState,
  fields: LeafField[],
  raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const files = fields.filter((f) => f.type === 'file');
  if (!files.length) return raw;
  const out = { ...raw };
  for (const f of files) {
    const v = raw[f.id];
    const ids = (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String);
    if (!ids.length) {
      out[f.id] = [];
      continue;
    }
    const r = await resolveAttachments(ctx.tx, ids, fileDepartments(ctx, s.submission.departmentId));
    out[f.id] = 'error' in r ? r.error : r.attachments;
  }
  return out;
}
