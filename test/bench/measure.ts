import os from 'node:os';
import autocannon from 'autocannon';

export interface HttpFigures {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** Loads one endpoint over loopback with autocannon; `next` supplies each request's body and headers. */
export async function load(
  label: string,
  url: string,
  next: () => { body: string; headers: Record<string, string> },
  durationS: number,
): Promise<HttpFigures> {
  const result = await autocannon({
    url,
    connections: 16,
    duration: durationS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = next();
          return { ...req, body: r.body, headers: r.headers };
        },
      },
    ],
  });
  return {
    label,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

export function printTable(title: string, rows: HttpFigures[], baseline?: HttpFigures): void {
  console.log(`\n${title}`);
  console.log('| case | req/s | p50 ms | p99 ms | non-2xx | vs bare Koa |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = baseline ? `${((r.requestsPerSecond / baseline.requestsPerSecond) * 100).toFixed(1)}%` : '';
    console.log(`| ${r.label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${ratio} |`);
  }
}

/** One figure as a JSON line, so a run can be compared with the last one by a script. */
export function figure(name: string, value: number, unit: string, ratio?: number): void {
  console.log(JSON.stringify({ figure: name, value: Number(value.toFixed(4)), unit, ratio, cores: os.cpus().length }));
}
