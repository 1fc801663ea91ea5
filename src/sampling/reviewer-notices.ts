import type { CardRenderer } from '../cards/renderer.ts';
import type { Executor } from '../db/database.ts';
import { enqueueNew } from '../lark/outbox-repository.ts';
import { contactsOf } from '../org/index.ts';
import { projectNames } from '../projects/index.ts';

/** Each reviewer hears once per draw which projects are theirs, with the way to 评价任务. */
export async function queueReviewerNotices(
  db: Executor,
  cards: CardRenderer,
  draw: { id: number; title: string },
  reviewers: Map<number, number>,
  now: number,
): Promise<number> {
  const names = await projectNames(db, [...reviewers.keys()], true);
  const people = await contactsOf(db, [...new Set(reviewers.values())]);
  const byReviewer = new Map<number, string[]>();
  for (const [projectId, userId] of reviewers)
    byReviewer.set(userId, [...(byReviewer.get(userId) ?? []), names.get(projectId) ?? '']);
  const items = [...byReviewer]
    .filter(([userId]) => people.has(userId))
    .map(([userId, projects]) => ({
      message: {
        kind: 'send' as const,
        receiveIdType: 'open_id' as const,
        receiveId: people.get(userId)!.openId,
        card: cards.render('notice', {
          title: '抽评复核任务',
          color: 'blue',
          lines: [
            `“${draw.title}”抽评抽中 ${projects.length} 个项目由您复核：`,
            ...projects.slice(0, 8).map((p) => `· ${p}`),
            ...(projects.length > 8 ? [`……共 ${projects.length} 个`] : []),
            '请对照单位自评表核实执行数和各项指标完成值，填写《抽评复核表》。',
          ],
          buttons: [{ primary: true, text: '查看评价任务', value: { action: 'command', command: 'assigned' } }],
        }),
      },
      uuid: `sampling:${draw.id}:${userId}`,
      ref: `sampling:${draw.id}`,
    }));
  return enqueueNew(db, items, now);
}
