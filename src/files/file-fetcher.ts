import type { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { AppDeps } from '../app-deps.ts';
import type { Card, CardRenderer } from '../cards/renderer.ts';
import { enqueue } from '../lark/outbox-repository.ts';
import { peopleWithDepartments } from '../org/index.ts';
import { type Background, pollLoop } from '../shared/background.ts';
import { sha256 } from './file-store.ts';
import { type Upload, claimUpload, duePending, settleUpload } from './upload-repository.ts';
import { MAX_UPLOAD_BYTES, extensionOf, imageExtension, sizeText, typeRefusal } from './upload-rules.ts';

export interface FileFetcher extends Background {
  runOnce(): Promise<number>;
  /** Runs until no upload is due (tests). */
  drain(maxMs?: number): Promise<void>;
}

const leaseMs = 120_000;
const maxAttempts = 5;

type Fetched = { bytes: Buffer } | { tooLarge: number };

/** Reads the message resource, stopping as soon as it passes the limit (so a huge file is never held in memory). */
async function download(client: lark.Client, u: Upload): Promise<Fetched> {
  const res = await client.im.messageResource.get({
    path: { message_id: u.messageId, file_key: u.fileKey },
    params: { type: u.kind },
  });
  const stream = res.getReadableStream() as Readable;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > MAX_UPLOAD_BYTES) {
      stream.destroy();
      return { tooLarge: size };
    }
    chunks.push(c as Buffer);
  }
  return { bytes: Buffer.concat(chunks) };
}

interface Fetching {
  deps: AppDeps;
  /** Read when a download starts: the SDK is loaded on first use. */
  lark: { readonly client: lark.Client };
  cards: CardRenderer;
  now: () => number;
}

/** Records what came of an upload and tells its sender, in one transaction. */
async function tell(f: Fetching, u: Upload, card: Card, settle: Parameters<typeof settleUpload>[2]) {
  const openId = (await peopleWithDepartments(f.deps.db, [u.userId])).get(u.userId)?.openId;
  await f.deps.db.transaction(async (tx) => {
    await settleUpload(tx, u.id, settle, f.now());
    if (openId) await enqueue(tx, { kind: 'send', receiveIdType: 'open_id', receiveId: openId, card }, f.now());
  });
}

const notKept = (f: Fetching, u: Upload, reason: string, status: 'refused' | 'failed' = 'refused') =>
  tell(f, u, f.cards.render('notice', { title: `未保存《${u.name}》`, color: 'red', lines: [reason] }), {
    status,
    reason,
  });

/** One claimed upload: downloaded, checked, kept; a failed download waits 2 s, 8 s, 32 s … then gives up. */
async function fetchUpload(f: Fetching, u: Upload): Promise<void> {
  let got: Fetched;
  try {
    got = await download(f.lark.client, u);
  } catch (err) {
    f.deps.logger.warn({ uploadId: u.id, err: (err as Error).message }, 'file download failed');
    if (u.attempts + 1 < maxAttempts)
      return settleUpload(f.deps.db, u.id, { nextAt: f.now() + 2000 * 4 ** u.attempts }, f.now());
    return notKept(f, u, '文件下载失败，请重新发送一次', 'failed');
  }
  if ('tooLarge' in got)
    return notKept(f, u, `文件超过 20 MB（已超过 ${sizeText(got.tooLarge)}），请压缩或拆分后重新发送。`);
  const ext = u.kind === 'image' ? imageExtension(got.bytes) : extensionOf(u.name);
  if (!ext) return notKept(f, u, '无法识别的图片格式，请以文件形式发送。');
  const name = u.kind === 'image' ? `图片-${u.id}.${ext}` : u.name;
  const problem = u.kind === 'image' ? null : typeRefusal(name);
  if (problem) return notKept(f, u, problem);
  const sum = sha256(got.bytes);
  const storageKey = `evidence/${sum.slice(0, 2)}/${sum}.${ext}`;
  await f.deps.files.put(storageKey, got.bytes);
  const lines = [
    `已保存《${name}》（${sizeText(got.bytes.length)}）。`,
    '在填报页的“佐证材料”一项中选择它，保存后即附加到表单；审批人可在审批卡片上打开。',
  ];
  const card = f.cards.render('notice', { title: '已收到佐证材料', color: 'green', lines });
  await tell(f, u, card, { status: 'stored', name, size: got.bytes.length, sha256: sum, storageKey });
}

/**
 * Fetches the files people sent the bot (see receive-file) from Lark's message resource API, in the background so an
 * event never waits on a download: checks size and type, keeps the bytes in the file store under their checksum, and
 * tells the sender it is kept (or why not). Instances share the work through a lease on each row.
 */
export function createFileFetcher(
  deps: AppDeps,
  lark: Fetching['lark'],
  cards: CardRenderer,
  opts: { pollMs?: number } = {},
): FileFetcher {
  const f: Fetching = { deps, lark, cards, now: () => deps.clock() };
  const signal = { stopped: false };
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let busy = 0;
  const runOnce = async () => {
    let handled = 0;
    busy++;
    try {
      const due = await duePending(deps.db, f.now(), 10);
      for (const u of due) {
        if (signal.stopped || !(await claimUpload(deps.db, u, f.now(), leaseMs))) continue;
        await fetchUpload(f, u);
        handled++;
      }
    } finally {
      busy--;
    }
    return handled;
  };
  return {
    runOnce,
    async drain(maxMs = 20_000) {
      const until = Date.now() + maxMs;
      while (Date.now() < until) {
        // Nothing due, and no fetch of this process's own loop still in flight.
        if (!busy && !(await duePending(deps.db, f.now(), 1)).length) return;
        if (!(await runOnce())) await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('file fetcher did not drain in time');
    },
    start() {
      signal.stopped = false;
      loop ??= pollLoop('file fetcher', runOnce, signal, opts.pollMs ?? 1000, deps.logger, (w) => (wake = w));
    },
    async stop() {
      signal.stopped = true;
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}
