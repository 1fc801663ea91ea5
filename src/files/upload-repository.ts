import type { Executor } from '../db/database.ts';

export type UploadStatus = 'pending' | 'stored' | 'refused' | 'failed';

export interface Upload {
  id: number;
  userId: number;
  departmentId: number;
  messageId: string;
  fileKey: string;
  kind: 'file' | 'image';
  name: string;
  status: UploadStatus;
  reason: string | null;
  size: number | null;
  sha256: string | null;
  storageKey: string | null;
  attempts: number;
  nextAt: number;
  createdAt: number;
}

const toUpload = (r: Record<string, unknown>): Upload => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  departmentId: Number(r.department_id),
  messageId: String(r.lark_message_id),
  fileKey: String(r.lark_file_key),
  kind: r.kind === 'image' ? 'image' : 'file',
  name: String(r.name),
  status: r.status as UploadStatus,
  reason: (r.reason as string | null) ?? null,
  size: r.size === null ? null : Number(r.size),
  sha256: (r.sha256 as string | null) ?? null,
  storageKey: (r.storage_key as string | null) ?? null,
  attempts: Number(r.attempts),
  nextAt: Number(r.next_at),
  createdAt: Number(r.created_at),
});

/** Records a file message once: a redelivery finds the row it wrote (and `created` is false). */
export async function recordUpload(
  db: Executor,
  u: { userId: number; departmentId: number; messageId: string; fileKey: string; kind: string; name: string },
  status: UploadStatus,
  reason: string | null,
  now: number,
): Promise<{ created: boolean }> {
  const row = {
    ...{ user_id: u.userId, department_id: u.departmentId, lark_message_id: u.messageId, lark_file_key: u.fileKey },
    ...{ kind: u.kind, name: u.name.slice(0, 200), status, reason, attempts: 0, next_at: now, created_at: now },
  };
  const before = await db('uploads').where({ lark_message_id: u.messageId, lark_file_key: u.fileKey }).first('id');
  if (before) return { created: false };
  await db('uploads').insert(row).onConflict(['lark_message_id', 'lark_file_key']).ignore();
  return { created: true };
}

export async function duePending(db: Executor, now: number, limit: number): Promise<Upload[]> {
  const rows = await db('uploads')
    .where({ status: 'pending' })
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit);
  return rows.map(toUpload);
}

/** Takes a pending upload for `leaseMs`; false when another instance took it first. */
export async function claimUpload(db: Executor, u: Upload, now: number, leaseMs: number): Promise<boolean> {
  const n = await db('uploads')
    .where({ id: u.id, status: 'pending', next_at: u.nextAt })
    .update({ next_at: now + leaseMs, attempts: u.attempts + 1 });
  return n === 1;
}

export async function settleUpload(
  db: Executor,
  id: number,
  change: Partial<{ status: UploadStatus; reason: string; size: number; sha256: string; storageKey: string }> & {
    name?: string;
    nextAt?: number;
  },
  now: number,
): Promise<void> {
  await db('uploads')
    .where({ id })
    .update({
      ...(change.status ? { status: change.status } : {}),
      ...(change.reason !== undefined ? { reason: change.reason } : {}),
      ...(change.size !== undefined ? { size: change.size } : {}),
      ...(change.sha256 ? { sha256: change.sha256 } : {}),
      ...(change.storageKey ? { storage_key: change.storageKey } : {}),
      ...(change.name ? { name: change.name } : {}),
      ...(change.nextAt !== undefined ? { next_at: change.nextAt } : {}),
      ...(change.status === 'stored' ? { stored_at: now } : {}),
    });
}

/** Files a unit's people sent and the bot kept, newest first: what its forms may attach. */
export async function storedUploadsOf(db: Executor, departmentId: number, limit = 30): Promise<Upload[]> {
  const rows = await db('uploads')
    .where({ department_id: departmentId, status: 'stored' })
    .orderBy('id', 'desc')
    .limit(limit);
  return rows.map(toUpload);
}

/** The stored uploads among `ids` that the given departments' people sent: what a form of theirs may attach. */
export async function attachable(db: Executor, ids: number[], departmentIds: number[]): Promise<Map<number, Upload>> {
  if (!ids.length) return new Map();
  const rows = await db('uploads')
    .whereIn('id', ids)
    .whereIn('department_id', departmentIds)
    .where({ status: 'stored' });
  return new Map(rows.map((r: Record<string, unknown>) => [Number(r.id), toUpload(r)]));
}

/** Where a kept upload's bytes are, and its name: what sending it needs. */
export async function storedFile(db: Executor, id: number): Promise<{ key: string; name: string } | undefined> {
  const r = await db('uploads').where({ id, status: 'stored' }).first('storage_key', 'name');
  return r?.storage_key ? { key: String(r.storage_key), name: String(r.name) } : undefined;
}
