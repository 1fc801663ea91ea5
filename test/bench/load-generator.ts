/**
 * The load generator, run in its own process by the intake bench so that it never shares the server's event loop:
 * signs `count` distinct 帮助 messages (ahead of time), loads the URL with autocannon, prints one JSON line.
 * Usage: tsx test/bench/load-generator.ts '{"url":…,"seconds":10,"connections":50,"encryptKey":…,"token":…}'
 */
import autocannon from 'autocannon';
import { type LarkIdentity, textMessage, toRequest } from '../../src/sandbox/lark-sender';

const o = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  seconds: number;
  connections: number;
  encryptKey: string;
  token: string;
  count?: number;
};
const id: LarkIdentity = { appId: 'cli_a000000000000001', encryptKey: o.encryptKey, verificationToken: o.token };
const filler = 'ou_demo0000000000000000000000021';
const requests = Array.from({ length: o.count ?? 80_000 }, () => toRequest(id, textMessage(id, filler, '帮助')));
let i = 0;
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
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    sent: i,
  }),
);
