import { loadConfig } from './config/config.ts';
import { createDb, migrateLatest, rollback } from './db/database.ts';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { createCardRenderer } from './cards/renderer.ts';
import { type Population, launchLines, launchCampaign, progressExport, relaunchCampaign } from './campaigns/index.ts';
import { FormStore, assignEvaluator, evalForm, loadForms, readValuesFile } from './forms/index.ts';
import { loadBanks, quizExport } from './quizzes/index.ts';
import { createLarkApi } from './lark/lark-api.ts';
import { diskFileStore } from './files/index.ts';
import { createLogger } from './observability/logger.ts';
import { defaultMappingFile, importOrg, loadSyncMapping, resolveOpenIds } from './org/index.ts';
import { formatSyncReport, syncOrg } from './directory/index.ts';
import { importClassified, projectListing } from './project-rules/index.ts';
import { historyText, projectHistory } from './project-history/index.ts';
import { projectLabel } from './projects/index.ts';
import { drawForCampaign, drawLines, drawReport, loadSamplingRules } from './sampling/index.ts';
import {
  confirmResults,
  disclosed,
  disclosureWorkbook,
  loadResultsRules,
  monitoringExport,
  resultLines,
  resultText,
  resultsWorkbook,
  selfEvaluationExport,
  targetsExport,
} from './results/index.ts';
import { AppError, formatIssues, isAppError } from './shared/errors.ts';
import { createBot } from './bot/bot.ts';
import { listFailed } from './lark/failed-events.ts';
import { createMetrics } from './observability/metrics.ts';
import { beijingDate, beijingDateTime, systemClock } from './shared/clock.ts';

const usage = `用法: npm run cli -- <命令>
  db migrate                 执行未应用的数据库迁移
  db rollback [--all]        回滚最近一批（或全部）迁移
  org import <文件>          导入组织架构（部门、人员、角色）：.yaml / .csv / .xlsx
  org resolve                按手机号、邮箱向飞书查询尚无 open_id 的人员（需配置飞书应用）
  org sync [--dry-run] [--mapping <文件>] [--json]
                             从飞书通讯录同步部门、人员和部门负责人（先用 --dry-run 查看变化；映射默认 forms/rules/org-sync.yaml）
  projects import <文件> [--json]  导入项目：.yaml / .csv / .xlsx；按项目规则定级并判断是否需事前绩效评估（--json 逐项输出）
  projects list [--year <年度>] [--json]   列出项目：编码、等级、金额、事前评估状态
  projects show <项目编码> [--json]          项目档案：各表单的每一版、审批记录、核心指标和结果应用
  forms check [目录]         检查表单定义（默认 forms/）
  forms eval <表单> <文件>    按表单计算并检查一份填报值（YAML/JSON），输出 JSON；有问题时退出码 1，文件或表单有误时 2
  campaign launch --form <表单> --title <名称> --opens <YYYY-MM-DD> --deadline <YYYY-MM-DD>
                  （--year <年度> [--tiers A,B] [--min-amount <元>] [--departments <编码,…>] | --departments <编码,…> | --all-departments）
                  按项目填报的表单加 --departments：只发起这些部门的项目
                  [--remind-days 5,3,1,0] [--escalate-after 3] [--no-buzz]   提醒策略（默认如左）
                  [--as-of <YYYY-MM-DD>]     数据截止日期（双监控，默认当年 7 月 31 日）
                             发起填报任务
  campaign extend <编号> <截止日期>  延长截止日期（补发新增对象的任务，不重复）
  assign --form <表单> (--project <项目编码> | --department <部门编码> [--year <年度>]) --to <open_id|姓名>
                             指定评价人（重点评价、部门整体评价等由指定人员填写的表单）
  results list --year <年度> [--department <部门编码>] [--json]   结果应用：各项目评价结果、建议与确认情况
  results confirm --year <年度> [--project <项目编码> | --department <部门编码>]
                  [--action <处理意见> --reason <理由> [--cut <压减%>]]   确认建议；或调整一个项目的处理意见
  export disclosure --year <年度> --out <文件.xlsx>   信息公开表：目标和自评已审核、结果已确认的项目
  export results --year <年度> --out <文件.xlsx>      结果应用清单（按部门）
  export selfeval --year <年度> [--department <部门编码> | --project <项目编码>] [--summary] --out <文件.xlsx>
                             项目支出绩效自评表（10号附件1格式，每个项目一张表；--summary 每个项目一行）
  export targets --year <年度> [--department <部门编码> | --project <项目编码>] --out <文件.xlsx>
                             已批复的绩效目标申报表（含指标表，每个项目一张工作表）
  export monitoring --year <年度> [--department <部门编码> | --project <项目编码>] --out <文件.xlsx>
                             双监控预警：每个项目的执行率、时间进度和预警灯，每项指标的预警和偏差原因
  export progress --campaign <编号> --out <文件.xlsx>  填报进度：各单位每项任务的状态、填报人、逾期工作日、提醒次数
  export quiz --quiz <编号> --out <文件.xlsx>         竞答成绩排名、各单位参与和正确率、各题正确率
  sample draw --campaign <编号> [--ratio 0.115] [--seed <整数>] [--dry-run] [--replace] [--json]
                             从自评任务中分层抽取抽评项目并分配复核人（同一种子结果相同；--dry-run 只预览）
  events failed [--json]     列出处理失败、等待重放的事件
  events replay <编号>       修复后重放一个失败事件（消息经发件箱发出）
  demo reset                 删除内置 SQLite 数据库（请先停止服务），下次 npm start 重新载入沙盒演示数据`;

/** What a command prints, and its exit code when success is not 0 (`forms eval`: 1 = the values have problems). */
type Output = string | { out: string; code: number };
type Command = (args: string[]) => Promise<Output>;

const syncOptions = {
  'dry-run': { type: 'boolean' },
  mapping: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The configured Lark app's client, for commands that read Lark (contacts). */
function larkClient() {
  const { lark } = loadConfig();
  if (!lark.appId || !lark.appSecret) throw new AppError('bad_request', '需要先配置 LARK_APP_ID 和 LARK_APP_SECRET');
  return createLarkApi({ appId: lark.appId, appSecret: lark.appSecret, domain: lark.domain }, createLogger('silent'))
    .client;
}

async function withDb<T>(fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    await migrateLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const requireFile = (args: string[]) => {
  if (!args[0]) throw new AppError('bad_request', `缺少文件路径\n${usage}`);
  return args[0];
};

const launchOptions = {
  form: { type: 'string' },
  title: { type: 'string' },
  opens: { type: 'string' },
  deadline: { type: 'string' },
  year: { type: 'string' },
  tiers: { type: 'string' },
  'min-amount': { type: 'string' },
  departments: { type: 'string' },
  'all-departments': { type: 'boolean' },
  'remind-days': { type: 'string' },
  'escalate-after': { type: 'string' },
  'no-buzz': { type: 'boolean' },
  'as-of': { type: 'string' },
} as const;

const assignOptions = {
  form: { type: 'string' },
  project: { type: 'string' },
  department: { type: 'string' },
  year: { type: 'string' },
  to: { type: 'string' },
} as const;

const resultOptions = {
  year: { type: 'string' },
  department: { type: 'string' },
  project: { type: 'string' },
  action: { type: 'string' },
  reason: { type: 'string' },
  cut: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const yearOf = (y: string | undefined) => {
  if (!y || !/^\d{4}$/.test(y)) throw new AppError('bad_request', '请用 --year 指定四位年份');
  return Number(y);
};

const exportOptions = { year: { type: 'string' }, out: { type: 'string' } } as const;
/** The year's forms, for all units, one unit (--department) or one project (--project). */
const scopedExportOptions = { ...exportOptions, department: { type: 'string' }, project: { type: 'string' } } as const;

const outFile = (out: string | undefined) => {
  if (!out?.endsWith('.xlsx')) throw new AppError('bad_request', '请用 --out 指定导出文件（.xlsx）');
  return out;
};

const sampleOptions = {
  campaign: { type: 'string' },
  ratio: { type: 'string' },
  seed: { type: 'string' },
  'dry-run': { type: 'boolean' },
  replace: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The embedded database's files (with SQLite's write-ahead log), removed so the sandbox seeds anew on next start. */
async function resetDemo(): Promise<string> {
  const url = loadConfig().databaseUrl;
  if (!url.startsWith('sqlite:'))
    throw new AppError(
      'bad_request',
      '只能重置内置 SQLite 数据库（DATABASE_URL 以 sqlite: 开头）；MySQL 请由管理员清库',
    );
  const file = url.slice('sqlite:'.length);
  const removed = ['', '-wal', '-shm'].map((x) => `${file}${x}`).filter((f) => fs.existsSync(f));
  for (const f of removed) fs.rmSync(f);
  const next = '下次 npm start 将重新载入演示组织、项目、填报任务和竞答';
  return removed.length ? `已删除 ${file}，${next}` : `${file} 不存在，${next}`;
}

const commands: Record<string, Command> = {
  'demo reset': resetDemo,
  'db migrate': async () => {
    const db = createDb(loadConfig().databaseUrl);
    try {
      const applied = await migrateLatest(db);
      return applied.length ? `已应用迁移: ${applied.join(', ')}` : '数据库已是最新';
    } finally {
      await db.destroy();
    }
  },
  'db rollback': async (args) => {
    const db = createDb(loadConfig().databaseUrl);
    try {
      const undone = await rollback(db, args.includes('--all'));
      return undone.length ? `已回滚迁移: ${undone.join(', ')}` : '没有可回滚的迁移';
    } finally {
      await db.destroy();
    }
  },
  'org import': (args) =>
    withDb(async (db) => {
      const c = await importOrg(db, requireFile(args), Date.now());
      return `组织架构导入完成：部门 新增 ${c.departmentsCreated}、更新 ${c.departmentsUpdated}；人员 新增 ${c.usersCreated}、更新 ${c.usersUpdated}`;
    }),
  'forms check': async (args) => {
    const { forms, errors: formErrors } = loadForms(args[0]);
    const quizzes = loadBanks(args[0] ? `${args[0]}/quizzes` : undefined);
    const errors = [...formErrors, ...quizzes.errors];
    if (errors.length)
      throw new AppError('validation_failed', `表单定义有 ${errors.length} 处错误`, {
        issues: errors.map((e) => ({ where: e.slice(0, e.indexOf(':')), message: e.slice(e.indexOf(':') + 2) })),
      });
    return `表单定义检查通过：${[...forms.values()].map((f) => `${f.def.id} v${f.def.version}`).join('，')}；题库：${[...quizzes.banks.values()].map((b) => `${b.id}（${b.questions.length} 题）`).join('，') || '无'}`;
  },
  'forms eval': async (args) => {
    const [formId, file] = args;
    if (!formId || !file) throw new AppError('bad_request', `用法：forms eval <表单> <文件>\n${usage}`);
    const form = loadForms().forms.get(formId);
    if (!form) throw new AppError('bad_request', `表单 ${formId} 不存在`);
    const result = evalForm(form, readValuesFile(file));
    return { out: JSON.stringify(result, null, 2), code: result.problems.length ? 1 : 0 };
  },
  'campaign launch': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: launchOptions });
      const store = new FormStore(loadForms().forms);
      const codes = o.departments?.split(',').map((x) => x.trim());
      // A project form with --departments: the projects of those departments (one unit's campaign).
      const perProject = store.get(o.form ?? '')?.def.attach_to === 'project';
      const population: Population = o['all-departments']
        ? { kind: 'all_departments' }
        : codes && !perProject
          ? { kind: 'departments', codes }
          : {
              kind: 'projects',
              year: Number(o.year),
              ...(o.tiers ? { tiers: o.tiers.split(',') as ('A' | 'B' | 'C')[] } : {}),
              ...(o['min-amount'] ? { min_amount: Number(o['min-amount']) } : {}),
              ...(codes ? { departments: codes } : {}),
            };
      if (population.kind === 'projects' && !Number.isInteger(population.year))
        throw new AppError(
          'bad_request',
          '请用 --year 指定项目年度，或用 --departments / --all-departments 按部门发起',
        );
      const policy = {
        ...(o['remind-days'] ? { remind_days: o['remind-days'].split(',').map(Number) } : {}),
        ...(o['escalate-after'] ? { escalate_after: Number(o['escalate-after']) } : {}),
        ...(o['no-buzz'] ? { buzz_on_deadline: false } : {}),
      };
      const r = await db.transaction((tx) =>
        launchCampaign(
          tx,
          store,
          createCardRenderer(),
          {
            title: o.title ?? '',
            formId: o.form ?? '',
            population,
            opensOn: o.opens ?? '',
            deadline: o.deadline ?? '',
            policy,
            ...(o['as-of'] ? { asOf: o['as-of'] } : {}),
          },
          null,
          Date.now(),
        ),
      );
      return `填报任务 #${r.campaign.id}：${launchLines(r).join('')}`;
    }),
  'campaign extend': (args) =>
    withDb(async (db) => {
      const store = new FormStore(loadForms().forms);
      const r = await db.transaction((tx) =>
        relaunchCampaign(tx, store, createCardRenderer(), Number(args[0]), args[1], null, Date.now()),
      );
      return `填报任务 #${r.campaign.id} 截止日期改为 ${r.campaign.deadline}；新增任务 ${r.newTasks} 项`;
    }),
  'org resolve': () =>
    withDb(async (db) => {
      const r = await resolveOpenIds(db, larkClient(), Date.now());
      const unknown = r.unknown.map((u) => `  ${u.name}（${u.key}）`).join('\n');
      return `已取得 ${r.resolved} 人的 open_id${r.unknown.length ? `；以下 ${r.unknown.length} 人在飞书中未找到（请核对手机号、邮箱或应用可用范围）：\n${unknown}` : ''}`;
    }),
  'org sync': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: syncOptions });
      const mapping = loadSyncMapping(o.mapping ?? defaultMappingFile);
      const r = await syncOrg(db, larkClient(), {
        mapping,
        dryRun: Boolean(o['dry-run']),
        now: Date.now(),
        cards: createCardRenderer(),
        source: 'cli',
      });
      return o.json ? JSON.stringify(r, null, 2) : formatSyncReport(r);
    }),
  'events failed': (args) =>
    withDb(async (db) => {
      const rows = await listFailed(db);
      if (args.includes('--json'))
        return JSON.stringify(
          rows.map(({ event: _event, ...r }) => r),
          null,
          2,
        );
      if (!rows.length) return '没有等待重放的失败事件';
      const lines = rows.map(
        (r) =>
          `#${r.id}  ${beijingDateTime(r.lastFailedAt)}  ${r.kind}  ${r.openId ?? '-'}  尝试 ${r.attempts} 次  参考编号 ${r.reference}  ${r.error.split('\n')[0]}`,
      );
      return [`${rows.length} 个失败事件（修复后用 events replay <编号> 重放）：`, ...lines].join('\n');
    }),
  'events replay': (args) =>
    withDb(async (db) => {
      const id = Number(args[0]);
      if (!Number.isInteger(id) || id < 1) throw new AppError('bad_request', `请给出失败事件的编号\n${usage}`);
      const config = loadConfig();
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const files = diskFileStore(config.filesDir);
      const bot = createBot({ config, db, logger, metrics: createMetrics(), clock: systemClock, files });
      try {
        await bot.dispatcher.replay(id);
      } catch (err) {
        if (isAppError(err) && err.status < 500) throw err;
        throw new AppError('internal', `重放失败：${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return `失败事件 #${id} 已重放成功；回复消息已进入发件箱`;
    }),
  assign: (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: assignOptions });
      if (!o.form || !o.to) throw new AppError('bad_request', `请用 --form 指定表单、--to 指定评价人\n${usage}`);
      const input = { formId: o.form, project: o.project, department: o.department, to: o.to, year: o.year };
      const store = new FormStore(loadForms().forms);
      const now = Date.now();
      const r = await db.transaction((tx) =>
        assignEvaluator(tx, store, createCardRenderer(), input, null, now, beijingDate(now).slice(0, 4)),
      );
      return `已指定 ${r.assignee} 评价：${r.subject}（${r.period} 年度《${r.form}》）`;
    }),
  'results list': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: resultOptions });
      const lines = (
        await resultLines(db, new FormStore(loadForms().forms), loadResultsRules(), yearOf(o.year))
      ).filter((l) => !o.department || l.department_code === o.department);
      return o.json ? JSON.stringify(lines, null, 2) : resultText(lines).join('\n') || '没有项目';
    }),
  'results confirm': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: resultOptions });
      const input = {
        year: yearOf(o.year),
        ...(o.project ? { codes: [o.project] } : {}),
        ...(o.department ? { department: o.department } : {}),
        ...(o.action ? { action: o.action, reason: o.reason, cutPercent: o.cut ? Number(o.cut) : undefined } : {}),
      };
      const store = new FormStore(loadForms().forms);
      const r = await db.transaction((tx) => confirmResults(tx, store, loadResultsRules(), input, null, Date.now()));
      return `已确认 ${r.confirmed} 个项目的处理意见${r.pending ? `；${r.pending} 个项目尚无已审核的评价结果，未确认` : ''}`;
    }),
  'export disclosure': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: exportOptions });
      const year = yearOf(o.year);
      const items = await disclosed(db, new FormStore(loadForms().forms), loadResultsRules(), year);
      await disclosureWorkbook(year, items).xlsx.writeFile(outFile(o.out));
      return `已导出 ${items.length} 个项目的信息公开表：${o.out}`;
    }),
  'export results': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: exportOptions });
      const year = yearOf(o.year);
      const lines = await resultLines(db, new FormStore(loadForms().forms), loadResultsRules(), year);
      await resultsWorkbook(year, lines).xlsx.writeFile(outFile(o.out));
      return `已导出 ${lines.length} 个项目的结果应用清单：${o.out}`;
    }),
  'export selfeval': (args) =>
    withDb(async (db) => {
      const options = { ...scopedExportOptions, summary: { type: 'boolean' } } as const;
      const { values: o } = parseArgs({ args, options });
      const input = { year: yearOf(o.year), department: o.department, project: o.project, summary: o.summary };
      const r = await selfEvaluationExport(db, new FormStore(loadForms().forms), loadResultsRules(), input);
      await r.book.xlsx.writeFile(outFile(o.out));
      return `已导出 ${r.count} 个项目的绩效自评表${o.summary ? '汇总' : '（每个项目一张工作表）'}：${o.out}`;
    }),
  'export targets': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: scopedExportOptions });
      const input = { year: yearOf(o.year), department: o.department, project: o.project };
      const r = await targetsExport(db, new FormStore(loadForms().forms), loadResultsRules(), input);
      await r.book.xlsx.writeFile(outFile(o.out));
      return `已导出 ${r.count} 个项目已批复的绩效目标申报表（每个项目一张工作表）：${o.out}`;
    }),
  'export monitoring': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: scopedExportOptions });
      const input = { year: yearOf(o.year), department: o.department, project: o.project };
      const r = await monitoringExport(db, new FormStore(loadForms().forms), loadResultsRules(), input);
      await r.book.xlsx.writeFile(outFile(o.out));
      return `已导出 ${r.count} 个项目的监控预警（项目预警、指标预警两张表）：${o.out}`;
    }),
  'export progress': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: { campaign: { type: 'string' }, out: { type: 'string' } } });
      const id = Number(o.campaign);
      if (!Number.isInteger(id) || id < 1)
        throw new AppError('bad_request', `请用 --campaign 指定填报任务编号\n${usage}`);
      const r = await progressExport(db, id, beijingDate(Date.now()));
      await r.book.xlsx.writeFile(outFile(o.out));
      return `已导出“${r.title}”的 ${r.tasks} 项任务进度：${o.out}`;
    }),
  'projects show': (args) =>
    withDb(async (db) => {
      const { values: o, positionals } = parseArgs({
        args,
        options: { json: { type: 'boolean' } },
        allowPositionals: true,
      });
      const code = positionals[0];
      if (!code) throw new AppError('bad_request', `请指定项目编码\n${usage}`);
      const h = await projectHistory(db, new FormStore(loadForms().forms), code);
      if (!h) throw new AppError('not_found', `没有找到项目 ${code}`);
      if (o.json) return JSON.stringify({ project: h.project, forms: h.forms, result: h.result }, null, 2);
      return [projectLabel(h.project), ...historyText(h)].join('\n');
    }),
  'export quiz': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: { quiz: { type: 'string' }, out: { type: 'string' } } });
      const id = Number(o.quiz);
      if (!Number.isInteger(id) || id < 1) throw new AppError('bad_request', `请用 --quiz 指定竞答编号\n${usage}`);
      const r = await quizExport(db, loadBanks().banks, id);
      await r.book.xlsx.writeFile(outFile(o.out));
      return `已导出“${r.title}”的成绩（${r.participants} 人参与）、各单位和各题正确率：${o.out}`;
    }),
  'sample draw': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: sampleOptions });
      const campaignId = Number(o.campaign);
      if (!Number.isInteger(campaignId) || campaignId < 1)
        throw new AppError('bad_request', `请用 --campaign 指定自评填报任务的编号\n${usage}`);
      const input = {
        campaignId,
        ...(o.ratio !== undefined ? { ratio: Number(o.ratio) } : {}),
        ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
        dryRun: Boolean(o['dry-run']),
        replace: Boolean(o.replace),
      };
      const store = new FormStore(loadForms().forms);
      const report = await db.transaction(async (tx) =>
        drawReport(
          tx,
          await drawForCampaign(tx, store, createCardRenderer(), loadSamplingRules(), input, null, Date.now()),
        ),
      );
      return o.json ? JSON.stringify(report, null, 2) : drawLines(report).join('\n');
    }),
  'projects import': (args) =>
    withDb(async (db) => {
      const { values: o, positionals } = parseArgs({
        args,
        options: { json: { type: 'boolean' } },
        allowPositionals: true,
      });
      const r = await importClassified(db, requireFile(positionals), Date.now());
      if (!o.json) return r.lines.join('\n');
      const imported = new Set(r.projects.map((p) => p.code));
      return JSON.stringify(
        (await projectListing(db)).filter((p) => imported.has(p.code)),
        null,
        2,
      );
    }),
  'projects list': (args) =>
    withDb(async (db) => {
      const { values: o } = parseArgs({ args, options: { year: { type: 'string' }, json: { type: 'boolean' } } });
      if (o.year !== undefined && !/^\d{4}$/.test(o.year)) throw new AppError('bad_request', '--year 应为四位年份');
      const rows = await projectListing(db, o.year ? Number(o.year) : undefined);
      if (o.json) return JSON.stringify(rows, null, 2);
      return rows
        .map(
          (r) =>
            `${r.code}\t${r.tier}\t${(r.amount / 10000).toLocaleString('zh-CN')} 万元\t${r.ex_ante_label}\t${r.name}`,
        )
        .join('\n');
    }),
};

export async function runCli(argv: string[]): Promise<number> {
  // Commands are one word (`assign`) or two (`sample draw`).
  const key = commands[argv.slice(0, 2).join(' ')] ? argv.slice(0, 2).join(' ') : (argv[0] ?? '');
  const command = commands[key];
  if (!command) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    const output = await command(argv.slice(key.split(' ').length));
    process.stdout.write(`${typeof output === 'string' ? output : output.out}\n`);
    return typeof output === 'string' ? 0 : output.code;
  } catch (err) {
    // A command's own input (a file, a form id) that is wrong: 2, as for a wrong command line.
    if (isAppError(err) && err.code === 'bad_request' && key === 'forms eval') {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (isAppError(err)) {
      process.stderr.write(`${err.message}\n${err.issues.length ? `${formatIssues(err.issues)}\n` : ''}`);
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
