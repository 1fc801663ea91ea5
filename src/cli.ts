import { loadConfig } from './config/config';
import { createDb, migrateLatest, rollback } from './db/database';
import { loadForms } from './forms/load-forms';
import { importOrg } from './org/org-import';
import { importProjects } from './projects/project-import';
import { AppError, formatIssues, isAppError } from './shared/errors';

const usage = `用法: npm run cli -- <命令>
  db migrate                 执行未应用的数据库迁移
  db rollback [--all]        回滚最近一批（或全部）迁移
  org import <文件>          导入组织架构（部门、人员、角色）：.yaml / .csv / .xlsx
  projects import <文件>     导入项目：.yaml / .csv / .xlsx
  forms check [目录]         检查表单定义（默认 forms/）`;

type Command = (args: string[]) => Promise<string>;

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
  if (!args[0]) throw new Error(`缺少文件路径\n${usage}`);
  return args[0];
};

const commands: Record<string, Command> = {
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
    const { forms, errors } = loadForms(args[0]);
    if (errors.length) throw new AppError('validation_failed', `表单定义有 ${errors.length} 处错误`, { issues: errors.map((e) => ({ where: e.slice(0, e.indexOf(':')), message: e.slice(e.indexOf(':') + 2) })) });
    return `表单定义检查通过：${[...forms.values()].map((f) => `${f.def.id} v${f.def.version}`).join('，')}`;
  },
  'projects import': (args) =>
    withDb(async (db) => {
      const c = await importProjects(db, requireFile(args), Date.now());
      return `项目导入完成：新增 ${c.created}、更新 ${c.updated}`;
    }),
};

export async function runCli(argv: string[]): Promise<number> {
  const key = argv.slice(0, 2).join(' ');
  const command = commands[key];
  if (!command) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${await command(argv.slice(2))}\n`);
    return 0;
  } catch (err) {
    if (isAppError(err)) {
      process.stderr.write(`${err.message}\n${err.issues.length ? `${formatIssues(err.issues)}\n` : ''}`);
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
