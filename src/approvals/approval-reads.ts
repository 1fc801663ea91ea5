import type { BotContext } from '../bot/bot-types.ts';
import { isMysql } from '../db/database.ts';
import { type FillState, type FormStore, loadState } from '../forms/index.ts';
import { departmentIn, peopleIn } from '../org/index.ts';
import { type InstanceRow, getInstance, latestInstance } from './approval-repository.ts';
import { type Holders, chainHolders } from './resolve-approvers.ts';

/*
 * What an approval event reads, each once per event (see ReadMemo): the guard's read of the instance serves the
 * handler, and the names on a decision's several cards come from one lookup.
 */

const instanceKey = (id: number) => `instance:${id}`;
const latestKey = (submissionId: number) => `latest-instance:${submissionId}`;

/**
 * The instance, read once per event. A locking read on MySQL: concurrent deciders queue on the row, and the second
 * reads the first's committed decision (a plain read would return its transaction's older snapshot). SQLite
 * serialises transactions anyway.
 */
export function instanceOf(ctx: BotContext, id: number): Promise<InstanceRow | undefined> {
  return ctx.reads.once(instanceKey(id), () => getInstance(ctx.tx, id, isMysql(ctx.deps.db)));
}

/** The instance as the database has it now: after a concurrent decision won the optimistic write. */
export function rereadInstance(ctx: BotContext, id: number): Promise<InstanceRow | undefined> {
  ctx.reads.forget(instanceKey(id));
  return instanceOf(ctx, id);
}

/** The submission's newest approval instance (its latest revision's), if any. */
export function latestOf(ctx: BotContext, submissionId: number): Promise<InstanceRow | undefined> {
  return ctx.reads.once(latestKey(submissionId), () => latestInstance(ctx.tx, submissionId));
}

/** After an instance is written: later reads in this event see it as written. */
export function rememberInstance(ctx: BotContext, inst: InstanceRow, isNew = false): void {
  ctx.reads.set(instanceKey(inst.id), inst);
  if (isNew) ctx.reads.set(latestKey(inst.submissionId), inst);
  else ctx.reads.update<InstanceRow | undefined>(latestKey(inst.submissionId), (l) => (l?.id === inst.id ? inst : l));
}

/** Names by user id, for cards. */
export async function namesIn(ctx: BotContext, ids: readonly number[]): Promise<Map<number, string>> {
  const people = await peopleIn(ctx.reads, ctx.tx, ids);
  return new Map(ids.flatMap((id) => (people.get(id) ? [[id, people.get(id)!.name] as const] : [])));
}

export async function openIdIn(ctx: BotContext, id: number): Promise<string | undefined> {
  return (await peopleIn(ctx.reads, ctx.tx, [id])).get(id)?.openId ?? undefined;
}

/** Who holds each step of the submission's chain, for building it, the 转交 picker and transfers. */
export function holdersFor(ctx: BotContext, s: FillState): Promise<Holders> {
  const chain = s.form.def.approval!;
  const key = `holders:${s.form.def.id}@${s.form.def.version}:${s.submission.departmentId}`;
  return ctx.reads.once(key, async () => {
    const department = await departmentIn(ctx.reads, ctx.tx, s.submission.departmentId);
    return chainHolders(ctx.tx, chain, s.submission.departmentId, department?.supervisingId ?? null);
  });
}

/** Approvers and notifications read a submission; only its fillers may change it. */
export const read = (ctx: BotContext, store: FormStore, id: number) => loadState(ctx, store, id, undefined, 'read');
