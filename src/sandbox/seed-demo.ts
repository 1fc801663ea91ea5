import path from 'node:path';
import type { AppDeps } from '../app-deps.ts';
import type { Bot } from '../bot/bot.ts';
import { launchCampaign, openCampaigns } from '../campaigns/index.ts';
import { addWorkingDays } from '../shared/working-days.ts';
import { beijingDate } from '../shared/clock.ts';
import { importOrg, hasDepartments } from '../org/index.ts';
import { latestProjectYear } from '../projects/index.ts';
import { importClassified } from '../project-rules/index.ts';
import { latestQuizId, publishQuiz } from '../quizzes/index.ts';
import { projectPath } from '../shared/project-path.ts';

const examples = projectPath('examples');

/**
 * An empty sandbox gets the demo organisation and projects, an open campaign and a quiz. Never touches a filled one.
 */
export async function seedDemo(deps: AppDeps, bot: Bot): Promise<void> {
  const now = deps.clock();
  const empty = !(await hasDepartments(deps.db));
  if (empty) {
    await importOrg(deps.db, path.join(examples, 'org.yaml'), now, 'sandbox');
    await importClassified(deps.db, path.join(examples, 'projects.xlsx'), now, 'sandbox');
  }
  if (!(await openCampaigns(deps.db)).length) {
    const today = beijingDate(now);
    const year = (await latestProjectYear(deps.db)) ?? Number(today.slice(0, 4));
    await deps.db.transaction((tx) =>
      launchCampaign(
        tx,
        bot.forms,
        bot.cards,
        {
          title: `${year} 年度项目绩效目标申报`,
          formId: 'performance-target',
          population: { kind: 'projects', year },
          opensOn: today,
          deadline: addWorkingDays(today, 10),
        },
        null,
        now,
      ),
    );
  }
  if (!(await latestQuizId(deps.db)) && bot.quizBanks.size) {
    await deps.db.transaction((tx) =>
      publishQuiz(
        tx,
        bot.quizBanks,
        bot.cards,
        {
          bankId: [...bot.quizBanks.keys()][0]!,
          title: '预算绩效管理知识竞答',
          questionCount: 5,
          timeLimitS: 600,
          attemptsAllowed: 2,
          opensAt: now,
          closesAt: now + 14 * 86_400_000,
          audience: { kind: 'all' },
          prize: { kind: 'top', n: 3 },
        },
        null,
        now,
      ),
    );
  }
  deps.logger.info({ seeded: empty }, 'sandbox demo data ready');
}
