import type { Dialect } from '../../src/db/database';
import { loadFromChild, product } from './intake-bench';
import { figure } from './measure';

/*
 * Card clicks as Lark delivers them (signed, encrypted callbacks), in 20 bursts of 50 simultaneous clicks (after one
 * warm-up burst), from a load generator in its own process: 帮助 and 待办 by a filler, 进度 by the bureau. Each
 * answers within the callback and queues its card; the latency is the callback's.
 */
const clicks = [
  { label: '帮助 (help button)', command: 'help', openId: 'ou_demo0000000000000000000000021' },
  { label: '待办 (todo button)', command: 'todo', openId: 'ou_demo0000000000000000000000021' },
  { label: '进度 (progress button, bureau)', command: 'progress', openId: 'ou_demo0000000000000000000000001' },
];

export async function benchClicks(): Promise<void> {
  const dialects: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  console.log('\nCard clicks, 20 bursts of 50 simultaneous, load generator in its own process');
  console.log('| click | database | p50 ms | p99 ms | non-2xx |');
  console.log('|---|---|---:|---:|---:|');
  for (const d of dialects) {
    const target = await product(d);
    try {
      for (const c of clicks) {
        const r = await loadFromChild(target.url, 0, { click: { openId: c.openId, command: c.command }, bursts: 20 });
        console.log(`| ${c.label} | ${d} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
        figure(`click_${c.command}_${d}_p99`, r.p99, 'ms');
      }
    } finally {
      await target.close();
    }
  }
}
