import type { Dialect } from '../../src/db/database';
import { createDb, migrateLatest } from '../../src/db/database';
import { createCardRenderer } from '../../src/cards/renderer';
import { launchCampaign } from '../../src/campaigns/launch';
import { runReminders } from '../../src/campaigns/reminders';
import { FormStore } from '../../src/forms/form-store';
import { loadForms } from '../../src/forms/load-forms';
import { freshDatabase } from '../helpers/databases';
import { DEPARTMENTS, PROJECTS, cityCampaign, seedCity } from './city-seed';

async function measure(dialect: Dialect): Promise<string[]> {
  const t = await freshDatabase(dialect);
  const db = createDb(t.url);
  try {
    await migrateLatest(db);
    await seedCity(db);
    const store = new FormStore(loadForms().forms);
    const cards = createCardRenderer();
    const launchAt = Date.parse('2026-11-30T10:00:00+08:00');

    let t0 = performance.now();
    const city = await db.transaction((tx) => launchCampaign(tx, store, cards, cityCampaign(2026), null, launchAt));
    const launchMs = performance.now() - t0;
    await db.transaction((tx) => launchCampaign(tx, store, cards, cityCampaign(2027), null, launchAt));
    const open = Number(((await db('campaign_tasks').count({ n: '*' })) as { n: number }[])[0]!.n);

    // 2026-12-02 is 3 working days before the deadline: every open task is due a reminder.
    t0 = performance.now();
    const run = await runReminders(db, store, cards, Date.parse('2026-12-02T10:00:00+08:00'), 'bench');
    const tickMs = performance.now() - t0;
    return [
      `| ${dialect} | launch ${city.totalTasks} tasks, ${city.cardsQueued} task cards | ${launchMs.toFixed(0)} ms |`,
      `| ${dialect} | reminder tick over ${open} open tasks → ${run.cards} cards | ${tickMs.toFixed(0)} ms |`,
    ];
  } finally {
    await db.destroy();
    await t.drop();
  }
}

export async function benchCampaigns(): Promise<void> {
  const dialects: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  const rows: string[] = [];
  for (const d of dialects) rows.push(...(await measure(d)));
  console.log(`\nCampaigns (${DEPARTMENTS} departments, ${PROJECTS} projects)`);
  console.log('| db | work | time |');
  console.log('|---|---|---:|');
  for (const r of rows) console.log(r);
}
