import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

/**
 * How Lark's departments map onto the bureau's org (forms/rules/org-sync.yaml): which top-level department is the
 * finance bureau, department codes where the Lark department id is not the budget code, and departments to leave out.
 */
export const syncMappingSchema = z.object({
  bureau: z.string({ error: '请填写 bureau：财政局在飞书通讯录中的部门 ID' }).min(1),
  codes: z.record(z.string(), z.string().min(1).max(64)).default({}),
  ignore: z.array(z.string()).default([]),
});
export type SyncMapping = z.infer<typeof syncMappingSchema>;

export const defaultMappingFile = 'forms/rules/org-sync.yaml';

export function loadSyncMapping(file: string): SyncMapping {
  if (!fs.existsSync(file))
    throw new AppError(
      'not_found',
      `找不到映射文件 ${file}：请写明财政局对应的飞书部门（见 README“从飞书同步组织架构”）`,
    );
  const parsed = syncMappingSchema.safeParse(parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success)
    throw new AppError('validation_failed', `映射文件 ${file} 有误：${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
