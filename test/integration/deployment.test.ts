import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack';

const root = path.resolve(import.meta.dirname, '../..');

/** The series an alert expression reads, without a histogram's suffixes. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bjixiao_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

describe('the deployment recipe', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('sqlite');
    // One daily run recorded, so the last-run gauge has a value to show.
    await s.service.deps
      .db('scheduler_runs')
      .insert({ key: 'reminders:2026-12-01', instance: 'test', at: 1_764_547_200_000 });
    await s.service.outbox!.drain();
  });
  afterAll(async () => s?.stop());

  it('alerts only on metrics the service exposes', async () => {
    const file = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/jixiao-alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const rules = file.groups.flatMap((g) => g.rules);
    const names = [...new Set(rules.flatMap((r) => metricNames(r.expr)))].sort();
    expect(names).toEqual([
      'jixiao_http_request_duration_seconds',
      'jixiao_lark_events_total',
      'jixiao_last_run_timestamp_seconds',
      'jixiao_outbox_dead_total',
      'jixiao_outbox_oldest_pending_seconds',
      'jixiao_outbox_pending',
      'jixiao_outbox_sender',
    ]);
    const exposed = await (await fetch(`${s.service.url}/metrics`)).text();
    for (const name of names) expect(exposed, name).toContain(`# TYPE ${name} `);
    // The sender gauge reads 1 on the instance that sends; the last run is reported per task.
    expect(exposed).toMatch(/^jixiao_outbox_sender 1$/m);
    expect(exposed).toContain('jixiao_last_run_timestamp_seconds{task="reminders"} 1764547200');
    // The slow-callback alert names the route label as the service writes it.
    expect(rules.find((r) => r.alert === 'JixiaoSlowCallbacks')!.expr).toContain('route="/lark/events"');
  });

  it('has a container image and a systemd unit that run the compiled service as npm start does', () => {
    const start = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start as string;
    const docker = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const unit = fs.readFileSync(path.join(root, 'deploy/systemd/jixiao.service'), 'utf8');
    const entry = start.split(' ').at(-1)!;
    expect(entry).toBe('dist/src/server.js');
    expect(docker).toContain(`CMD ["node", "${entry}"]`);
    expect(unit).toContain(`ExecStart=/usr/bin/env node ${entry}`);
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toContain('/healthz');
    // Every folder the service reads at run time is copied into the image.
    for (const dir of ['src', 'migrations', 'forms', 'cards', 'examples'])
      expect(docker).toContain(`COPY ${dir} ./${dir}`);
  });
});
