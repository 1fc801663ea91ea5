import { z } from 'zod';

/*
 * The data each card template takes, one schema per `cards/<name>.hbs`: the template's contract. Rendering parses
 * the data with it (a missing key is an error, unknown keys are dropped, so a template can print only what is
 * declared here), `render` is typed by it, and `cards/samples.yaml` is checked against it.
 * First written from the templates' own references; keep both in step when a template changes.
 */

/** A button's callback value: `{ action: 'key', …ids }`, printed whole with `{{json x}}`. */
const actionValue = z.record(z.string(), z.unknown());
/** `label` and `value` of a select option. */
const option = z.object({ label: z.string(), value: z.string() });
/** A summary section: its title and one line per field. */
const section = z.object({ title: z.string(), lines: z.array(z.string()) });
/** 佐证材料 attached to the submission: a button each that sends the file to whoever clicks. */
const files = z.array(z.object({ text: z.string(), value: actionValue })).optional();
/** A form's table as a card `table`: column names are the row fields' ids, cells their formatted values. */
const table = z.object({
  title: z.string(),
  columns: z.array(z.object({ name: z.string(), label: z.string() })),
  rows: z.array(z.record(z.string(), z.string())),
  /** Set when the card shows only the first rows: how many there are. */
  total: z.number().optional(),
});

export const cardSchemas = {
  'approval-list': z.object({
    count: z.number(),
    items: z.array(
      z.object({
        number: z.number(),
        formTitle: z.string(),
        subject: z.string(),
        /** The submitting unit and the project's amount, when the subject is a project. */
        unit: z.string(),
        amount: z.string().optional(),
        /** Working days the item has waited on this approver. */
        waited: z.number(),
        stepTitle: z.string(),
        submitter: z.string(),
        since: z.number(),
        actingFor: z.string().optional(),
        open: actionValue,
        key: z.string(),
      }),
    ),
    batch: actionValue.optional(),
  }),
  'approval-outcome': z.object({
    outcome: z.string(),
    formTitle: z.string(),
    subject: z.string(),
    color: z.string(),
    stepTitle: z.string(),
    history: z.array(z.string()).optional(),
  }),
  /** 抄送: the whole submission and where its chain stands, read-only, kept current. */
  'approval-copy': z.object({
    formTitle: z.string(),
    subject: z.string(),
    submitter: z.string(),
    revision: z.number(),
    submittedAt: z.number().nullable(),
    status: z.string(),
    color: z.string(),
    results: z.array(option),
    sections: z.array(section),
    tables: z.array(table),
    files,
    chain: z.array(z.string()),
  }),
  'approval-request': z.object({
    summaryText: z.string(),
    formTitle: z.string(),
    subject: z.string(),
    stepTitle: z.string(),
    submitter: z.string(),
    revision: z.number(),
    submittedAt: z.number().nullable(),
    actingFor: z.string().optional(),
    stepNote: z.string().optional(),
    results: z.array(option).optional(),
    sections: z.array(section),
    tables: z.array(table),
    files,
    /** The chain, a line a step: decisions, who it waits on and how long, who is next. */
    chain: z.array(z.string()),
    /** 项目档案: the project's history, for a submission about a project. */
    history: actionValue.optional(),
    warnings: z.array(z.string()).optional(),
    /** 调整得分: rows far beyond their target that the approver may score down. */
    adjust: z.object({ rows: z.array(option), value: actionValue }).optional(),
    /** The heading of `changes`: against a returned revision, or the approved one being adjusted. */
    changesTitle: z.string(),
    /** A review step's inputs (事前评估 scores, 目标审核 ratings), filled before 同意. */
    review: z
      .array(
        z.object({
          name: z.string(),
          label: z.string(),
          help: z.string().optional(),
          value: z.string(),
          select: z.boolean(),
          options: z.array(option),
          multiline: z.boolean(),
        }),
      )
      .optional(),
    changes: z
      .array(
        z.object({
          label: z.string(),
          before: z.string(),
          after: z.string(),
        }),
      )
      .optional(),
    fieldOptions: z.array(option),
    people: z
      .array(
        z.object({
          value: z.string(),
        }),
      )
      .optional(),
    approve: actionValue,
    return: actionValue,
    reject: actionValue,
    transfer: actionValue.optional(),
    comment: actionValue,
  }),
  /** The bureau's view of one campaign: extend (or reopen), preview the reminders of a day, close. */
  'campaign-manage': z.object({
    title: z.string(),
    error: z.string().optional(),
    lines: z.array(z.string()),
    preview: z.array(z.string()).optional(),
    open: z.boolean(),
    today: z.string(),
    extend: actionValue,
    preview_action: actionValue,
    close: actionValue,
  }),
  'campaign-launch': z.object({
    error: z.string().optional(),
    values: z.record(z.string(), z.string()),
    forms: z.array(option),
    populations: z.array(option),
    departments: z.array(option),
    /** The reminder days offered (截止前第 5 个工作日 … 截止当天) and those chosen; the escalation choices. */
    remindOptions: z.array(option),
    remindSelected: z.array(z.string()),
    escalateOptions: z.array(option),
  }),
  /** A list to decide on: lines, buttons, and a form that picks an item and a choice with a text (结果应用, 评优). */
  'decide-list': z.object({
    title: z.string(),
    subtitle: z.string().optional(),
    color: z.string().optional(),
    error: z.string().optional(),
    lines: z.array(z.string()).min(1),
    /** Rows to compare (结果应用: a unit's projects with grade, suggestion and decision), paged by Lark's table. */
    tables: z.array(table).optional(),
    /** A VChart spec drawn under the lines (结果应用: the grade distribution). */
    chart: z.record(z.string(), z.unknown()).optional(),
    buttons: z.array(z.object({ primary: z.boolean().optional(), text: z.string(), value: actionValue })).optional(),
    form: z
      .object({
        itemLabel: z.string(),
        items: z.array(option).min(1),
        choiceLabel: z.string(),
        choices: z.array(option).min(1),
        numberLabel: z.string().optional(),
        textLabel: z.string(),
        submit: z.string(),
        value: actionValue,
      })
      .optional(),
  }),
  delegation: z.object({
    current: z.string().optional(),
    cancel: actionValue.optional(),
    error: z.string().optional(),
    people: z
      .array(
        z.object({
          value: z.string(),
        }),
      )
      .optional(),
    today: z.string().optional(),
  }),
  'role-admin': z.object({
    /** The person looked up, with one line per role they hold (scope and who gave it). */
    person: z.object({ name: z.string(), department: z.string(), roles: z.array(z.string()) }).optional(),
    error: z.string().optional(),
    /** People of the same name, to pick by mobile instead. */
    candidates: z.array(z.string()).optional(),
    roles: z.array(option),
    values: z.object({ person: z.string().optional(), role: z.string().optional(), scope: z.string().optional() }),
  }),
  'dept-tasks': z.object({
    title: z.string(),
    department: z.string(),
    /** A task a line; one waiting in approval has 催办 for the bureau. */
    items: z.array(z.object({ text: z.string(), urge: actionValue.optional() })),
    more: z.boolean().optional(),
    shown: z.number().optional(),
    total: z.number().optional(),
  }),
  error: z.object({
    reference: z.string(),
  }),
  'form-chooser': z.object({
    department: z.string(),
    /** 评价任务 instead of 填报: the assignments of a reviewer or evaluator. */
    assigned: z.boolean().optional(),
    items: z.array(
      z.object({
        formTitle: z.string(),
        subject: z.string(),
        status: z.string(),
        buttonText: z.string(),
        open: actionValue,
      }),
    ),
    more: z.boolean().optional(),
    shown: z.number().optional(),
  }),
  'form-group': z.object({
    title: z.string(),
    subject: z.string(),
    step: z.number(),
    steps: z.number(),
    pageTitle: z.string(),
    error: z.string().optional(),
    label: z.string(),
    rowCount: z.number(),
    minRows: z.number().optional(),
    help: z.string().optional(),
    comment: z.string().optional(),
    rows: z.array(
      z.object({
        number: z.number(),
        summary: z.string(),
        problem: z.string().optional(),
        edit: actionValue,
        /** Absent for a table whose rows come from the approved target. */
        remove: actionValue.optional(),
      }),
    ),
    /** 编辑, or 填写 where the row is the target's and only the outcome is entered. */
    editLabel: z.string(),
    /** A long table, paged: which rows show, and the buttons to the groups before and after. */
    range: z.string().optional(),
    earlier: actionValue.optional(),
    later: actionValue.optional(),
    hasPrev: z.boolean().optional(),
    prev: actionValue.optional(),
    canAdd: z.boolean().optional(),
    add: actionValue.optional(),
    next: actionValue,
  }),
  'form-page': z.object({
    title: z.string(),
    subject: z.string(),
    step: z.number(),
    steps: z.number(),
    pageTitle: z.string(),
    errorCount: z.number().optional(),
    notice: z.string().optional(),
    fields: z.array(z.record(z.string(), z.unknown())),
    hasPrev: z.boolean().optional(),
    prev: actionValue.optional(),
    save: actionValue,
    next: actionValue,
  }),
  'form-row': z.object({
    title: z.string(),
    subject: z.string(),
    rowTitle: z.string(),
    errorCount: z.number().optional(),
    checks: z.array(z.string()),
    fields: z.array(z.record(z.string(), z.unknown())),
    cancel: actionValue,
    save: actionValue,
    /** 保存并添加下一行 on a new row, while the table takes more. */
    saveMore: actionValue.optional(),
  }),
  'form-summary': z.object({
    title: z.string(),
    subject: z.string(),
    submitted: z.boolean().optional(),
    revision: z.number().optional(),
    step: z.number().optional(),
    steps: z.number().optional(),
    /** What stops the submit; `fix` opens the page (and the table rows) where it is, with the problem shown. */
    problems: z.array(z.object({ text: z.string(), fix: actionValue.optional() })).optional(),
    /** Warning-level checks that failed: for the filler and the approver to weigh, not blocking. */
    warnings: z.array(z.string()).optional(),
    submittedAt: z.number().nullable().optional(),
    formVersion: z.number().optional(),
    notice: z.string().optional(),
    status: z.string().optional(),
    /** The header colour of a submitted card: where its chain stands. */
    tone: z.enum(['blue', 'green', 'orange', 'red', 'grey']).optional(),
    chain: z.array(z.string()).optional(),
    results: z.array(option).optional(),
    sections: z.array(section),
    /** A submitted form's tables (the indicators) as Lark tables, apart from the sections. */
    tables: z.array(table).optional(),
    prev: actionValue.optional(),
    submit: actionValue.optional(),
    withdraw: actionValue.optional(),
    /** 催办 the approvers the chain waits on. */
    urge: actionValue.optional(),
    /** 修改并重新提交 after a return or withdrawal. */
    reopen: actionValue.optional(),
    revise: actionValue.optional(),
    /** 申请调整 on an approved submission whose form allows adjustments. */
    amend: actionValue.optional(),
  }),
  help: z.object({
    name: z.string(),
    department: z.string().optional(),
    roles: z.array(z.string()),
    commands: z.array(
      z.object({
        title: z.string(),
        aliases: z.string(),
        description: z.string(),
        value: actionValue,
      }),
    ),
  }),
  notice: z.object({
    title: z.string(),
    color: z.string().optional(),
    lines: z.array(z.string()),
    buttons: z
      .array(
        z.object({
          primary: z.boolean().optional(),
          text: z.string(),
          value: actionValue,
        }),
      )
      .optional(),
  }),
  progress: z.object({
    scope: z.string(),
    date: z.string(),
    campaigns: z.array(
      z.object({
        title: z.string(),
        deadline: z.string(),
        when: z.string(),
        submittedPct: z.string(),
        submitted: z.number(),
        total: z.number(),
        approvedPct: z.string(),
        counts: z.array(
          z.object({
            label: z.string(),
            count: z.number(),
          }),
        ),
        /** A VChart spec (pure JSON) for Lark's `chart` component: the units most behind, stacked by stage. */
        chart: z.record(z.string(), z.unknown()).optional(),
        behind: z.array(
          z.object({
            name: z.string(),
            open: z.number(),
            total: z.number(),
            drill: actionValue,
          }),
        ),
        /** The same units side by side: tasks by stage, and how many working days overdue. */
        behindTable: table.optional(),
        /** The bureau's 管理 (extend, preview reminders, close). */
        manage: actionValue.optional(),
        /** 导出: the campaign's tasks as a workbook, within what the viewer may see. */
        export: actionValue,
        /** 双监控 campaigns: submitted reports by light, the red projects first, then departments by red count. */
        lights: z
          .object({
            total: z.string(),
            /** The lights as a VChart ring. */
            chart: z.record(z.string(), z.unknown()),
            red: z.array(z.string()),
            departments: z.array(z.string()),
            moreRed: z.number(),
          })
          .optional(),
      }),
    ),
  }),
  'quiz-board': z.object({
    title: z.string(),
    delivered: z.number(),
    recipients: z.number(),
    participants: z.number(),
    leaders: z.array(
      z.object({
        rank: z.number(),
        name: z.string(),
        department: z.string(),
        score: z.string(),
        duration: z.string(),
      }),
    ),
    departments: z.array(
      z.object({
        name: z.string(),
        joined: z.number(),
        total: z.number(),
        accuracy: z.string(),
      }),
    ),
    /** The page's units by accuracy, as a VChart spec (two units at least). */
    chart: z.record(z.string(), z.unknown()).optional(),
    /** "第 21–40 个，共 327 个单位" when the units take more than one page, with the values to turn it. */
    unitRange: z.string().optional(),
    prevUnits: actionValue.optional(),
    nextUnits: actionValue.optional(),
    questions: z.array(
      z.object({
        accuracy: z.string(),
        stem: z.string(),
        source: z.string(),
      }),
    ),
    questionCount: z.number(),
    /** 查看全部 while only the hardest questions are shown. */
    allQuestions: actionValue.optional(),
    winners: z.array(z.string()).optional(),
    prizeRule: z.string().optional(),
    remind: actionValue,
    open: z.boolean().optional(),
    draw: actionValue,
  }),
  'quiz-invite': z.object({
    title: z.string(),
    count: z.number(),
    minutes: z.number(),
    note: z.string(),
    opensAt: z.number(),
    closesAt: z.number(),
    prize: z.string(),
    buttonText: z.string(),
    start: actionValue,
  }),
  'quiz-paper': z.object({
    title: z.string(),
    attempt: z.number(),
    deadline: z.number(),
    questions: z.array(
      z.object({
        number: z.number(),
        stem: z.string(),
        multiple: z.boolean().optional(),
        name: z.string(),
        options: z.array(option),
      }),
    ),
    submit: actionValue,
  }),
  'quiz-publish': z.object({
    error: z.string().optional(),
    /** Beijing date: the opening date's default. */
    today: z.string(),
    banks: z.array(option),
    departments: z.array(option),
    roles: z.array(option),
  }),
  'quiz-result': z.object({
    title: z.string(),
    score: z.string(),
    correct: z.number(),
    total: z.number(),
    duration: z.string(),
    perfect: z.boolean().optional(),
    items: z.array(
      z.object({
        correct: z.boolean().optional(),
        number: z.number(),
        stem: z.string(),
        answer: z.string(),
        chosen: z.string().optional(),
        explanation: z.string(),
        source: z.string(),
      }),
    ),
    again: actionValue.optional(),
  }),
  reminder: z.object({
    urgent: z.boolean().optional(),
    date: z.string(),
    fillCount: z.number().optional(),
    fill: z.array(z.string()).optional(),
    more: z.number().optional(),
    approveCount: z.number().optional(),
    approve: z.array(z.string()).optional(),
    /** 双监控 warning lights: projects of the person's units (or supervised units) that lit red or yellow. */
    warn: z.array(z.string()).optional(),
    moreWarn: z.number().optional(),
    escalate: z.array(z.string()).optional(),
    todo: actionValue,
  }),
  'task-notice': z.object({
    title: z.string(),
    formTitle: z.string(),
    deadline: z.string(),
    count: z.number(),
    tasks: z.array(
      z.object({
        name: z.string(),
        open: actionValue,
      }),
    ),
    more: z.number().optional(),
    todo: actionValue,
  }),
  todo: z.object({
    name: z.string(),
    items: z.array(
      z.object({
        color: z.string(),
        kind: z.string(),
        title: z.string(),
        detail: z.string(),
        button: z.string(),
        value: actionValue,
      }),
    ),
    more: z.number().optional(),
  }),
  'unknown-user': z.object({
    contacts: z
      .array(
        z.object({
          openId: z.string(),
          name: z.string(),
        }),
      )
      .optional(),
  }),
};

export type CardName = keyof typeof cardSchemas;
export type CardData<K extends CardName> = z.input<(typeof cardSchemas)[K]>;
