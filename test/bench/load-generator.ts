/**
 * The load generator, run in its own process by the benches so that it never shares the server's event loop: signs
 * `count` distinct 帮助 messages, other messages, card clicks or a mix (ahead of time), loads the URL with autocannon,
 * prints one JSON line.
 * Usage: tsx test/bench/load-generator.ts '{"url":…,"seconds":10,"connections":50,"encryptKey":…,"token":…}'
 */
import fs from 'node:fs';
import http from 'node:http';
import autocannon from 'autocannon';
import { type LarkIdentity, cardAction, textMessage, toRequest } from '../../src/sandbox/lark-sender';

/** A person's message (`text`) or click on a button with this `value`. */
interface Act {
  openId: string;
  text?: string;
  value?: Record<string, unknown>;
}

const o = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  seconds: number;
  connections: number;
  encryptKey: string;
  token: string;
  count?: number;
  /** Instead of the filler's 帮助: this message, or a click on a button with this value, by this person. */
  act?: Act;
  /** A mixed load instead: a JSON file of messages and clicks (`Act[]`) the requests cycle through. */
  mixFile?: string;
  /** Instead of a steady load: this many bursts of `connections` requests at once, 200 ms apart (one warm-up first). */
  bursts?: number;
};
const id: LarkIdentity = { appId: 'cli_a000000000000001', encryptKey: o.encryptKey, verificationToken: o.token };
const filler = 'ou_demo0000000000000000000000021';
const acts: Act[] = o.mixFile
  ? JSON.parse(fs.readFileSync(o.mixFile, 'utf8'))
  : [o.act ?? { openId: filler, text: '帮助' }];
const payload = (a: Act) =>
  a.value ? cardAction(id, a.openId, 'om_bench', { value: a.value }) : textMessage(id, a.openId, a.text ?? '帮助');
const requests = Array.from({ length: o.count ?? 80_000 }, (_, k) => toRequest(id, payload(acts[k % acts.length]!)));
let i = 0;

/*
 * Bursts of simultaneous requests, as a campaign's reminder makes people click at once; each request timed. Over
 * node:http with one kept-alive socket per request of a burst, opened by the warm-up burst: `fetch` costs this
 * process ~1.5 ms a request, which made even bare Koa look slow.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
const target = new URL(o.url);

function post(r: { body: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: r.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

async function bursts(n: number) {
  const times: number[] = [];
  let non2xx = 0;
  for (let b = 0; b <= n; b++) {
    const batch = await Promise.all(
      Array.from({ length: o.connections }, async () => {
        const r = requests[i++ % requests.length]!;
        const t0 = performance.now();
        if ((await post(r)) >= 300) non2xx++;
        return performance.now() - t0;
      }),
    );
    if (b > 0) times.push(...batch); // the first burst opens the sockets
    await new Promise((r) => setTimeout(r, 200));
  }
  const sorted = times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { rps: 0, p50: at(0.5), p99: at(0.99), non2xx, sent: i, total: i };
}

if (o.bursts) {
  console.log(JSON.stringify(await bursts(o.bursts)));
  process.exit(0);
}
const result = await autocannon({
  url: o.url,
  connections: o.connections,
  duration: o.seconds,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        const r = requests[i++ % requests.length]!;
        return { ...req, body: r.body, headers: r.headers };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    rps: Math.round(result.requests.average),
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    sent: i,
  }),
);
