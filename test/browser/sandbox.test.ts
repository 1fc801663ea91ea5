import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config';
import { startService, type Service } from '../../src/service';

const CHROMIUM = '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER === '1')
  throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: browser tests cannot be skipped`);
const shots = path.resolve(import.meta.dirname, '../../test-results/sandbox');

const users = {
  filler: 'ou_demo0000000000000000000000021', // 刘洋
  head: 'ou_demo0000000000000000000000022', // 张伟
  supervising: 'ou_demo0000000000000000000000011', // 郑伟
  finance: 'ou_demo0000000000000000000000004', // 李华
  bureau: 'ou_demo0000000000000000000000001', // 王立新
};

describe.skipIf(!available)('the sandbox in a real browser', () => {
  let service: Service;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-sandbox-'));
    const env = { LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${dir}/db.sqlite`, FILES_DIR: `${dir}/files` };
    service = await startService(loadConfig(env), {
      port: 0,
      host: '127.0.0.1',
      outbox: { pollMs: 20 },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    fs.mkdirSync(shots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const card = (text: string) => page.locator('.msg-bot', { hasText: text }).last();
  async function as(openId: string) {
    await page.selectOption('#who', openId);
    await page.waitForTimeout(300);
  }
  async function say(text: string) {
    await page.fill('#text', text);
    await page.click('#send');
  }
  const click = (c: Locator, name: string) => c.getByRole('button', { name, exact: true }).first().click();
  // The toast of the last click would cover the card's top in a screenshot.
  const hideToast = () =>
    page.locator('#toast').evaluate((el) => ((el as { style: { display: string } }).style.display = 'none'));
  async function waitFor(text: string) {
    await card(text).waitFor({ timeout: 15_000 });
    return card(text);
  }

  it('walks the whole story: fill, mistake, submit, return, resubmit, approve, progress, quiz', async () => {
    await page.goto(`${service.url}/sandbox?as=${users.filler}`);
    let c = await waitFor('填报任务');
    await page.screenshot({ path: path.join(shots, '01-task-card.png') });

    // The filler opens the task and makes a mistake: a required field left empty.
    await click(c, '填报');
    c = await waitFor('第 1/5 步');
    await c.locator('input[name="phone"]').fill('0571-87001234');
    await c.locator('input[name="start_date"]').fill('2026-01-01');
    await c.locator('input[name="end_date"]').fill('2026-12-31');
    await click(c, '下一步');
    c = await waitFor('有 1 处需要修改');
    await page.screenshot({ path: path.join(shots, '02-mistake.png') });
    await c.locator('input[name="manager"]').fill('刘洋');
    await click(c, '下一步');
    c = await waitFor('项目资金');
    await c.locator('input[name="fund_fiscal"]').fill('480');
    await click(c, '下一步');
    c = await waitFor('总体目标');
    await c.locator('textarea[name="overall_goal"]').fill('更新实验室设备，改善实验教学条件');
    await c.locator('textarea[name="annual_goal"]').fill('年内更新设备 100 台套');
    await click(c, '下一步');

    // Two indicator rows.
    for (const row of [
      {
        level1: '产出指标',
        level2: '数量指标',
        name: '更新设备数量',
        operator: '≥',
        value: '100',
        unit: '台套',
        weight: '50',
      },
      {
        level1: '效益指标',
        level2: '社会效益指标',
        name: '实验开出率',
        operator: '≥',
        value: '95',
        unit: '%',
        weight: '40',
      },
    ]) {
      c = await waitFor('添加一行');
      await click(c, '添加一行');
      c = await waitFor('保存这一行');
      for (const k of ['level1', 'level2', 'operator'] as const)
        await c.locator(`select[name="${k}"]`).selectOption(row[k]);
      for (const k of ['name', 'value', 'unit', 'weight'] as const) await c.locator(`input[name="${k}"]`).fill(row[k]);
      await click(c, '保存这一行');
    }
    c = await waitFor('共 2 行');
    await page.screenshot({ path: path.join(shots, '03-indicators.png') });
    await click(c, '下一步');
    c = await waitFor('核对并提交');
    await click(c, '确认提交');
    await waitFor('审批中');

    // The unit head returns it with a comment.
    await as(users.head);
    c = await waitFor('待审批');
    await page.screenshot({ path: path.join(shots, '04-approval-card.png') });
    // The approver's one card: the whole target, its indicator table and the chain (README: examples/).
    expect(await c.locator('table.card-table tr').count()).toBe(3);
    await hideToast();
    await c.screenshot({ path: path.join(shots, 'approval-card.png') });
    await c.locator('textarea[name="comment"]').fill('请补充满意度指标的说明');
    await click(c, '退回修改');
    await waitFor('退回修改（');

    // The filler fixes and resubmits.
    await as(users.filler);
    c = await waitFor('已退回修改');
    await click(c, '修改并重新提交');
    c = await waitFor('请补充满意度指标的说明');
    await c.locator('input[name="manager"]').fill('刘洋（实验室）');
    for (let step = 0; step < 4; step++) {
      await click(card('下一步'), '下一步');
      await page.waitForTimeout(400);
    }
    c = await waitFor('确认提交');
    await click(c, '确认提交');
    await waitFor('审批中');

    // The chain approves: unit head, supervising department, finance section (its 目标审核: four ratings, remarks).
    for (const approver of [users.head, users.supervising, users.finance]) {
      await as(approver);
      c = await waitFor('待审批');
      for (const k of approver === users.finance
        ? ['completeness', 'relevance', 'appropriateness', 'feasibility']
        : []) {
        await c.locator(`select[name="review_r_${k}"]`).selectOption('良');
        await c.locator(`input[name="review_c_${k}"]`).fill('符合要求');
      }
      await click(c, '同意');
      await waitFor('同意（');
    }
    await as(users.filler);
    c = await waitFor('审批通过');
    await page.screenshot({ path: path.join(shots, '05-approved.png') });
    // The submitter's one card for the submission, updated to the end: every step, no 撤回 left.
    expect(await c.innerText()).toMatch(/【已通过】财政业务处室审核/);
    expect(await c.getByRole('button', { name: '撤回' }).count()).toBe(0);
    await hideToast();
    await c.screenshot({ path: path.join(shots, 'submitter-card.png') });

    // The bureau sees progress.
    await as(users.bureau);
    await say('进度');
    c = await waitFor('填报进度');
    expect(await c.innerText()).toContain('已通过');
    // The units most behind as a chart, drawn by VChart as Lark's client draws the card's `chart`: no placeholder.
    await c.locator('.chart canvas').first().waitFor({ timeout: 15_000 });
    expect(await c.locator('.placeholder').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, '06-progress.png') });
    // 导出 sends the workbook as a file message, which downloads like Lark's.
    await click(c, '导出 Excel');
    const file = page.locator('.file-msg').last();
    await file.waitFor({ timeout: 15_000 });
    expect(await file.innerText()).toMatch(/填报进度.*\.xlsx/);
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    expect(download.suggestedFilename()).toMatch(/^\d{4} 年度项目绩效目标申报填报进度.*\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.getWorksheet('填报进度')!.getCell('A1').value).toMatch(/填报进度$/);

    // The quiz is broadcast; the filler answers it.
    await as(users.filler);
    c = await waitFor('有奖竞答');
    await click(c, '开始答题');
    c = await waitFor('交卷');
    for (const s of await c.locator('select').all()) await s.selectOption({ index: 1 });
    await click(c, '交卷');
    c = await waitFor('答对');
    expect(await c.innerText()).toMatch(/正确答案/);
    await page.screenshot({ path: path.join(shots, '07-quiz.png') });
  }, 180_000);

  it('fills a target page at phone width (390 px): the chat takes the screen, the picker and menu one bar', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(`${service.url}/sandbox?as=${users.filler}`);
      await phone.locator('.msg-bot').first().waitFor();
      const chat = (await phone.locator('#chat').boundingBox())!;
      const bar = (await phone.locator('aside').boundingBox())!;
      expect(chat.width).toBeGreaterThanOrEqual(380);
      expect(bar.height).toBeLessThan(200);
      expect(await phone.locator('#who').inputValue()).toBe(users.filler); // ?as= picked the user
      const on = (text: string) => phone.locator('.msg-bot', { hasText: text }).last();
      await phone.fill('#text', '填报 2026-JYJ01-007');
      await phone.click('#send');
      const chooser = on('也可发送“填报 项目编码”');
      await chooser.waitFor({ timeout: 15_000 });
      await chooser
        .getByRole('button', { name: /开始填报|继续填报/ })
        .first()
        .click(); // 绩效目标申报表 comes first
      const form = on('第 1/5 步');
      await form.waitFor({ timeout: 15_000 });
      expect((await form.boundingBox())!.width).toBeLessThanOrEqual(390);
      await form.locator('input[name="manager"]').fill('刘洋');
      await form.locator('input[name="phone"]').fill('0571-87001234');
      await form.locator('input[name="start_date"]').fill('2026-01-01');
      await form.locator('input[name="end_date"]').fill('2026-12-31');
      await form.getByRole('button', { name: '下一步', exact: true }).click();
      await on('项目资金').waitFor({ timeout: 15_000 });
      expect(await on('项目资金').locator('input[name="fund_fiscal"]').inputValue()).not.toBe('');
      await phone.screenshot({ path: path.join(shots, '09-phone.png') });
    } finally {
      await phone.close();
    }
  });

  it('sends files to the bot like Lark file messages: one kept as evidence, a forbidden type refused', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${service.url}/sandbox?as=${users.filler}`);
    await page.waitForSelector('#who');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 1)]);
    await page.setInputFiles('#file', { name: '验收报告.pdf', mimeType: 'application/pdf', buffer: pdf });
    const kept = await waitFor('已收到佐证材料');
    expect(await kept.innerText()).toContain('已保存《验收报告.pdf》（2 KB）');
    await page.setInputFiles('#file', {
      name: 'run.bat',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('x'),
    });
    expect(await (await waitFor('未保存《run.bat》')).innerText()).toContain('不支持的文件类型「.bat」');
  }, 60_000);

  it('previews every card template with sample data', async () => {
    await page.goto(`${service.url}/sandbox/cards`);
    await page.locator('section').first().waitFor();
    const names = await page.locator('section h2').allInnerTexts();
    expect(names.length).toBe(
      fs.readdirSync(path.resolve(import.meta.dirname, '../../cards')).filter((f) => f.endsWith('.hbs')).length,
    );
    expect(await page.locator('.err').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, '08-card-preview.png') });
  });
});
