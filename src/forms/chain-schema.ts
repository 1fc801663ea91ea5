import { z } from 'zod';
import { roleSchema } from '../org/index.ts';

/*
 * An approval chain as a form declares it (`approval:` in the form file). Approvers are resolved relative to the
 * submission when a step becomes active, so org changes between steps are honoured.
 */
export const approverSpecSchema = z.union([
  z
    .object({
      role: roleSchema,
      /** Whose holder of the role: the submitting department's, its supervising department's, or anyone's (omit). */
      of: z.enum(['submitter_department', 'supervising_department']).optional(),
    })
    .strict(),
  z.object({ people: z.array(z.string().regex(/^ou_[A-Za-z0-9]+$/, '应为 open_id（ou_ 开头）')).min(1) }).strict(),
]);

export const stepSpecSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/),
    title: z.string().min(1).max(30),
    approvers: approverSpecSchema,
    /**
     * one: a single approver (the first resolved); any: 或签; all: 会签; k_of_n: k approvals needed; cc: 抄送 — the
     * people are sent a read-only card, kept current, when the chain reaches the step, and the chain goes on.
     */
    mode: z.enum(['one', 'any', 'all', 'k_of_n', 'cc']).default('any'),
    k: z.number().int().min(1).optional(),
    /** The step applies only when this expression holds (e.g. project tier or amount). */
    when: z.string().optional(),
    /** Working days before the approver is reminded. */
    time_limit_days: z.number().int().min(1).optional(),
    /**
     * Reviewer-only fields of the form the approver of this step fills on the card before 同意: a 事前评估's scores,
     * a 目标审核's ratings. All are required to approve; they are kept in the revision and the audit.
     */
    review: z.array(z.string()).min(1).optional(),
    /**
     * A review's verdict turns 同意 into the decision it calls for: `field` (computed from the review, e.g. the 目标审核
     * grade) in `return` sends the submission back for revision, in `reject` ends it (blocked).
     */
    decide_by: z
      .object({ field: z.string(), return: z.array(z.string()).default([]), reject: z.array(z.string()).default([]) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => s.mode !== 'k_of_n' || s.k !== undefined, { message: 'k_of_n 需要 k', path: ['k'] });

export const chainSpecSchema = z
  .object({
    steps: z.array(stepSpecSchema).min(1),
    /** After a return and resubmission: resume at the step that returned it, or start over. */
    on_resubmit: z.enum(['resume', 'restart']).default('resume'),
    /** Skip an approver who is the submitter or already approved an earlier step. */
    skip_repeat_approvers: z.boolean().default(true),
    /**
     * Who an approver may hand a step to (转交): `step` (default) the people who could hold that step (its role for the
     * same department), `approvers` anyone holding an approver role. Never the submitter or a filler of the revision.
     */
    transfer_to: z.enum(['step', 'approvers']).default('step'),
    /**
     * An approver may set a row's score (10号: a target set too low is scored down by the deviation): on rows of
     * `group` where `rows_when` holds, the reviewer-only `score` field up to `max`, with the reason in `reason`.
     */
    adjust: z
      .object({ group: z.string(), score: z.string(), reason: z.string(), rows_when: z.string(), max: z.string() })
      .strict()
      .optional(),
  })
  .strict();

export type ChainSpec = z.infer<typeof chainSpecSchema>;
export type StepSpec = z.infer<typeof stepSpecSchema>;
