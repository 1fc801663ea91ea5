import { z } from 'zod';
import { chainSpecSchema } from './chain-schema.ts';
import { roleSchema } from '../org/index.ts';

/*
 * The meta-schema every file in forms/ must satisfy. Expressions are strings here; the loader parses and checks them.
 * Field ids become card input names and expression names, so they are plain identifiers.
 */
const id = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '应为小写字母开头的标识符（字母、数字、下划线，最长 40）');
const expr = z.string().min(1);
const option = z.union([z.string().min(1), z.object({ value: z.string().min(1), label: z.string().min(1) }).strict()]);
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const common = {
  id,
  label: z.string().min(1).max(60),
  help: z.string().max(200).optional(),
  /** true, false, or an expression: a deviation reason is required only when the row lost points. */
  required: z.union([z.boolean(), expr]).optional(),
  /** Shown only when this expression holds; hidden fields are neither validated nor kept. */
  visible_if: expr.optional(),
  /** A literal, or `=expression` evaluated when the draft starts (e.g. `=project.name`). */
  default: scalar.optional(),
  /** Read-only value computed from other fields. */
  compute: expr.optional(),
  /** Wider input on the card. */
  multiline: z.boolean().optional(),
  /**
   * Set by an approver from the approval card (an adjusted score and its reason), never by the filler: shown read-only,
   * ignored in what a filler sends, cleared when a new revision opens.
   */
  reviewer_only: z.boolean().optional(),
  /**
   * Set when the draft starts (from `prefill`, such as the approved target, or from `default`) and never changed by the
   * filler: shown read-only; an input that tries to change it is refused.
   */
  locked: z.boolean().optional(),
};

const textField = z
  .object({
    ...common,
    type: z.enum(['text', 'textarea']),
    min_length: z.number().int().min(0).optional(),
    max_length: z.number().int().min(1).max(1000).optional(),
    pattern: z.string().optional(),
    pattern_message: z.string().optional(),
  })
  .strict();
const numberField = z
  .object({
    ...common,
    type: z.enum(['integer', 'decimal', 'percent']),
    min: z.number().optional(),
    max: z.number().optional(),
    unit: z.string().max(10).optional(),
  })
  .strict();
const moneyField = z
  .object({
    ...common,
    type: z.literal('money'),
    unit: z.enum(['yuan', 'wan']).default('wan'),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
const dateField = z
  .object({ ...common, type: z.literal('date'), min: z.string().optional(), max: z.string().optional() })
  .strict();
const choiceField = z
  .object({
    ...common,
    type: z.enum(['choice', 'multi_choice']),
    options: z.array(option).min(1, '至少需要一个选项'),
    min_selected: z.number().int().optional(),
    max_selected: z.number().int().optional(),
  })
  .strict();
const simpleField = z.object({ ...common, type: z.enum(['yes_no', 'person', 'department']) }).strict();
/**
 * 佐证材料: files the unit's people sent the bot, chosen on the page. The value is the attached files (id, name, size,
 * checksum), resolved from the uploads when the page is saved; never inside a table.
 */
const fileField = z
  .object({ ...common, type: z.literal('file'), max_files: z.number().int().min(1).max(20).default(10) })
  .strict();

const leafTypes = [textField, numberField, moneyField, dateField, choiceField, simpleField, fileField] as const;
const leafField = z.discriminatedUnion('type', [...leafTypes]);

/** A rule over the data; `level: warning` is shown to the filler and the approver but does not stop the submit. */
const check = z
  .object({
    rule: expr,
    message: z.string().min(1),
    when: expr.optional(),
    level: z.enum(['error', 'warning']).default('error'),
  })
  .strict();

const groupField = z
  .object({
    id,
    label: z.string().min(1).max(60),
    help: z.string().max(200).optional(),
    type: z.literal('group'),
    visible_if: expr.optional(),
    min_rows: z.number().int().min(0).default(0),
    max_rows: z.number().int().min(1).max(50).default(20),
    /** How a row reads in the compact list, e.g. `level3 + '（' + operator + value + unit + '）'`. */
    summary: expr.optional(),
    fields: z.array(leafField).min(1, '至少需要一个字段'),
    checks: z.array(check).default([]),
    /** Rows come from `prefill` (the approved target's indicators): the filler fills them in, never adds or deletes. */
    fixed_rows: z.boolean().optional(),
    /** The rows a new draft starts with, given in the file: a scorecard's items with their levels and weights. */
    rows: z
      .array(z.record(z.string(), z.union([z.string(), z.number()])))
      .max(50)
      .optional(),
  })
  .strict();

// One discriminated union, so a known type with a bad property is reported at that property.
export const fieldSchema = z.discriminatedUnion('type', [...leafTypes, groupField]);

export const formSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, '应为小写字母开头，只含字母、数字和连字符'),
    title: z.string().min(1).max(40),
    version: z.number().int().min(1),
    description: z.string().max(300).optional(),
    fillers: z.array(roleSchema).min(1),
    attach_to: z.enum(['project', 'department']),
    /**
     * Filled by the person assigned to each subject (抽评复核 by its reviewer, 重点评价 by its evaluator), who holds one
     * of `fillers`, instead of by the subject's unit.
     */
    assigned: z.boolean().default(false),
    /**
     * Which projects the form is for, an expression over `project.*` (a 事前绩效评估 only where a trigger applies):
     * 填报 lists it for those projects only, and no draft starts for another.
     */
    applies_if: expr.optional(),
    /**
     * Campaigns of this form leave out projects whose 事前绩效评估 is required and not passed (the target: money follows
     * evaluation), say how many and why, and tell their units what to do.
     */
    requires_ex_ante: z.boolean().default(false),
    /** Constants for expressions: grade bands, weight schemes. */
    settings: z.record(z.string(), z.unknown()).default({}),
    /**
     * Copies the values of another form's submission for the same subject into a new draft: its approved revision when
     * that form has an approval chain. `required`: no draft starts without one. `@revision` names the source revision.
     */
    prefill: z
      .object({
        form: z.string(),
        fields: z.record(z.string(), z.string()),
        required: z.boolean().default(false),
        /** Why the copied values are locked, told to a filler who tries to change one. */
        lock_note: z.string().max(100).optional(),
      })
      .strict()
      .optional(),
    sections: z
      .array(
        z
          .object({ id, title: z.string().min(1).max(40), fields: z.array(fieldSchema).min(1, '至少需要一个字段') })
          .strict(),
      )
      .min(1),
    checks: z.array(check).default([]),
    /** Computed values shown on the summary card, in order. */
    summary: z.array(id).default([]),
    /**
     * An approved submission may be adjusted (目标调整): 申请调整 opens a new revision with `flag` (a locked yes/no field)
     * set and the `clear` fields emptied, approved like the first; until then the approved revision stays in force.
     */
    amend: z
      .object({ flag: id, clear: z.array(id).default([]) })
      .strict()
      .optional(),
    /**
     * 双监控 follow-up of a submitted report: its light warns the unit, its supervising department and the finance
     * section (once per light, in the day's digest); its corrective action is due by `deadline` and confirmed from 待办;
     * a light in `suspend_on` whose action is not confirmed `suspend_after_days` working days after the deadline is
     * flagged 建议暂缓拨款 and escalated to the bureau.
     */
    follow_up: z
      .object({
        light: id,
        warn_on: z.array(z.string()).default(['红', '黄']),
        action: id,
        deadline: id,
        as_of: id.optional(),
        suspend_on: z.array(z.string()).default(['红']),
        suspend_after_days: z.number().int().min(0).default(10),
      })
      .strict()
      .optional(),
    /**
     * What an approved submission decides about its project: a 事前绩效评估's conclusion (予以支持 / 调整后支持 /
     * 不予支持), total score and recommended amount (万元), kept on the project for the gate and the target form.
     */
    on_approved: z
      .object({
        ex_ante: z.object({ conclusion: id, score: id.optional(), amount: id.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    /** What a review step's record decides about the project, whatever follows: the 目标审核 grade and action. */
    on_reviewed: z
      .object({ target_review: z.object({ grade: id, action: id.optional() }).strict() })
      .strict()
      .optional(),
    /**
     * A scorecard (重点评价, 部门整体评价): its items are the `rows` of a table given in the file. `forms:check` holds their
     * weights to `total` and to each `min_share` (10号: 产出 + 效益 at least 60 % of the weights).
     */
    scorecard: z
      .object({
        group: id,
        level: id,
        weight: id,
        total: z.number().positive().default(100),
        min_share: z
          .array(
            z
              .object({
                levels: z.array(z.string().min(1)).min(1),
                share: z.number().gt(0).max(1),
                basis: z.string().max(60).optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
    /** Who approves a submission, in which order; without it a submission is final when submitted. */
    approval: chainSpecSchema.optional(),
  })
  .strict();

export type FormDefinition = z.infer<typeof formSchema>;
export type Field = z.infer<typeof fieldSchema>;
export type LeafField = z.infer<typeof leafField>;
export type GroupField = z.infer<typeof groupField>;

export const isGroup = (f: Field): f is GroupField => f.type === 'group';

/** Option values and labels, whichever way the file wrote them. */
export const optionsOf = (f: LeafField): { value: string; label: string }[] =>
  f.type === 'choice' || f.type === 'multi_choice'
    ? f.options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o))
    : [];
