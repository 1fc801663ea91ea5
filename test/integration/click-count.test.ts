import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, type Json, inputs, reviewDefaults, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

/** A driver that counts the clicks it makes. */
class Counting extends CardDriver {
  clicks = 0;
  override async clickValue(value: Json, formValue?: Json): Promise<void> {
    this.clicks++;
    await super.clickValue(value, formValue);
  }
}

describe.each(dialects())('what filing and deciding a target costs on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('counts the clicks and messages to file a 3-indicator target and decide it through a tier-B chain', async () => {
    s = await startStack(dialect);
    const filler = new Counting(s, demo.filler);
    let typed = 0;
    const say = async (words: string) => {
      typed++;
      await s.send(textMessage(s.id, demo.filler, words));
      await flush(s);
    };
    await say('填报 2026-JYJ01-005'); // 实验室设备更新, tier B
    filler.fromInbox('选择要填报的表单');
    await filler.click('开始填报', undefined, '绩效目标申报表**\\n');
    await filler.click('下一步', { manager: '刘洋', phone: '0571-87001234', start_date: '2026-01-01 +0800' });
    expect(text(filler.card)).toContain('实施结束日期'); // one date missing: the page stays, nothing lost
    filler.clicks--; // a mistake, not the path
    await filler.click('下一步', {
      ...{ manager: '刘洋', phone: '0571-87001234' },
      ...{ start_date: '2026-01-01 +0800', end_date: '2026-12-31 +0800' },
    });
    // 财政拨款 comes from the project library and 其他资金 is 0: the card's form sends them as they stand.
    expect(inputs(filler.card)).toMatchObject({ fund_fiscal: '480.00', fund_other: '0.00' });
    await filler.click('下一步', inputs(filler.card));
    await filler.click('下一步', { overall_goal: '完成实验室设备更新', annual_goal: '更新 80 台套设备' });
    await filler.click('添加一行');
    const rows = [
      { level1: '产出指标', level2: '数量指标', name: '更新设备数量', operator: '≥', value: '80', unit: '台套' },
      { level1: '产出指标', level2: '时效指标', name: '完成时间', operator: '≤', value: '10', unit: '月' },
      { level1: '效益指标', level2: '社会效益指标', name: '实验开出率', operator: '≥', value: '95', unit: '%' },
    ];
    const weights = ['30', '20', '40'];
    await filler.click('保存并添加下一行', { ...rows[0], weight: weights[0] });
    await filler.click('保存并添加下一行', { ...rows[1], weight: weights[1] });
    await filler.click('保存这一行', { ...rows[2], weight: weights[2] });
    expect(text(filler.card)).toContain('共 3 行');
    await filler.click('下一步');
    await filler.click('确认提交');
    expect(filler.lastToast?.type, JSON.stringify(filler.lastToast)).toBe('success');
    const submitterCard = filler.messageId;

    let approverClicks = 0;
    for (const openId of [demo.unitHead, demo.supervising, demo.finance]) {
      await flush(s);
      const a = new Counting(s, openId).fromInbox('待审批');
      await a.click('同意', { ...reviewDefaults(a.card), comment: '' });
      expect(a.lastToast?.type, JSON.stringify(a.lastToast)).toBe('success');
      approverClicks += a.clicks;
    }
    await flush(s);

    const toFiller = s.fake.messagesTo(demo.filler);
    const figures = {
      fillerClicks: filler.clicks,
      fillerMessages: typed,
      cardsToFiller: toFiller.length,
      approverClicks,
      approvalCards: [demo.unitHead, demo.supervising, demo.finance].map((o) => s.fake.messagesTo(o).length),
    };
    console.log(`clicks and messages, ${dialect}:`, figures);
    // Down from 12 clicks + 1 message before rows could be saved one after another and 财政拨款 was prefilled.
    expect(figures).toEqual({
      fillerClicks: 10,
      fillerMessages: 1,
      cardsToFiller: 1, // the chooser became the form, then the submitter's card, updated to the end
      approverClicks: 3,
      approvalCards: [1, 1, 1],
    });
    expect(toFiller[0]!.messageId).toBe(submitterCard);
    expect(text(toFiller[0]!.card)).toContain('审批通过');
  });
});
