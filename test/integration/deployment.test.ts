import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack';
import { startCommand } from '../helpers/start-command';

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
    const start = startCommand();
    const docker = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const unit = fs.readFileSync(path.join(root, 'deploy/systemd/jixiao.service'), 'utf8');
    expect(start.nodeArgs.at(-1)).toBe('dist/src/server.js');
    // The same node flags and memory settings everywhere, and in the bench that measures them.
    expect(docker).toContain(`CMD ${JSON.stringify(['node', ...start.nodeArgs]).replaceAll(',', ', ')}`);
    expect(unit).toContain(`ExecStart=/usr/bin/env node ${start.nodeArgs.join(' ')}`);
    expect(Object.keys(start.env)).toEqual(['MALLOC_ARENA_MAX']);
    for (const [k, v] of Object.entries(start.env)) {
      expect(docker).toContain(`${k}=${v}`);
      expect(unit).toMatch(new RegExp(`^Environment=.*\\b${k}=${v}\\b`, 'm'));
    }
    const bench = startCommand('bench');
    expect(bench.env).toEqual(start.env);
    expect(bench.nodeArgs.slice(0, -3)).toEqual(start.nodeArgs.slice(0, -1));
    expect(docker).toMatch(/^USER node$/m);
    expect(docker).toContain('/healthz');
    // Every folder the service reads at run time is copied into the image.
    for (const dir of ['src', 'migrations', 'forms', 'cards', 'examples'])
      expect(docker).toContain(`COPY ${dir} ./${dir}`);
  });
});
