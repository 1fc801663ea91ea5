import type { Executor } from '../db/database';

/** The id of the most recently published quiz, if any. */
export async function latestQuizId(db: Executor): Promise<number | undefined> {
  const r = await db('quizzes').orderBy('id', 'desc').first('id');
  return r ? Number(r.id) : undefined;
}
