import type { BotContext } from '../bot/bot-types.ts';
import type { SentFile } from '../lark/events.ts';
import { recordUpload } from './upload-repository.ts';
import { typeRefusal } from './upload-rules.ts';

/**
 * A file or image sent to the bot: a forbidden type is refused at once with what is allowed; anything else is recorded
 * and fetched from Lark in the background (see file-fetcher), which tells the sender when it is kept. A redelivered
 * message is recognised and answered nothing more.
 */
export async function receiveFile(ctx: BotContext, messageId: string, file: SentFile): Promise<void> {
  const user = ctx.user!;
  const refusal = file.kind === 'file' ? typeRefusal(file.name) : null;
  const u = { userId: user.id, departmentId: user.departmentId, messageId, fileKey: file.key };
  const { created } = await recordUpload(
    ctx.tx,
    { ...u, kind: file.kind, name: file.name },
    refusal ? 'refused' : 'pending',
    refusal,
    ctx.now,
  );
  if (!created) return;
  if (refusal)
    await ctx.respond(ctx.cards.render('notice', { title: `未保存《${file.name}》`, color: 'red', lines: [refusal] }));
}
