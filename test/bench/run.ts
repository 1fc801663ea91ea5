/**
 * `npm run bench`: prints the figures the issues ask for. Not a test: nothing here passes or fails.
 * BENCH_SECONDS sets the duration of each HTTP load (default 10); TEST_MYSQL_URL adds MySQL.
 */
import { benchCampaigns } from './campaign-bench';
import { benchClicks } from './click-bench';
import { benchFootprint } from './footprint-bench';
import { benchIntake } from './intake-bench';
import { benchQuiz } from './quiz-bench';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.argv[2];

const benches: Record<string, () => Promise<void>> = {
  intake: () => benchIntake(seconds),
  clicks: () => benchClicks(),
  campaigns: () => benchCampaigns(),
  quiz: () => benchQuiz(),
  footprint: () => benchFootprint(seconds),
};

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
process.exit(0);
