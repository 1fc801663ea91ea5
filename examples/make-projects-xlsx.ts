/**
 * Regenerates examples/projects.xlsx (the demo project list) from the table below.
 * Run: npx tsx examples/make-projects-xlsx.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

// [unit, name, tier, amount in yuan, new, government investment, policy]
const projects: [string, string, 'A' | 'B' | 'C', number, boolean, boolean, boolean][] = [
  ['JYJ', '市属高中教育质量提升工程', 'A', 86_000_000, false, false, true],
  ['JYJ', '智慧教育云平台建设', 'A', 245_000_000, true, true, false],
  ['JYJ', '学前教育普惠性幼儿园补助', 'B', 32_000_000, false, false, true],
  ['JYJ', '教师培训专项', 'C', 2_600_000, false, false, false],
  ['JYJ01', '实验室设备更新', 'B', 4_800_000, false, false, false],
  ['JYJ01', '校园安全技防改造', 'C', 1_150_000, true, false, false],
  ['JYJ01', '学生综合素质拓展活动', 'C', 680_000, false, false, false],
  ['JYJ02', '产教融合实训基地建设', 'A', 56_000_000, true, true, false],
  ['JYJ02', '高职扩招专项经费', 'B', 18_500_000, false, false, true],
  ['JYJ02', '图书馆数字资源采购', 'C', 1_900_000, false, false, false],
  ['JYJ03', '高考考务组织经费', 'B', 12_400_000, false, false, false],
  ['JYJ03', '标准化考点维护', 'C', 3_300_000, false, false, false],
  ['WJW', '基层医疗卫生机构能力提升', 'A', 128_000_000, false, false, true],
  ['WJW', '公共卫生服务补助', 'A', 212_500_000, false, false, true],
  ['WJW', '卫生健康信息化建设', 'B', 27_000_000, true, true, false],
  ['WJW', '医学重点学科建设', 'B', 15_000_000, false, false, false],
  ['WJW01', '大型医疗设备购置', 'A', 68_000_000, false, true, false],
  ['WJW01', '住院综合楼改造', 'A', 230_000_000, true, true, false],
  ['WJW01', '住院医师规范化培训', 'C', 5_400_000, false, false, true],
  ['WJW02', '重大传染病防控', 'B', 21_000_000, false, false, true],
  ['WJW02', '免疫规划疫苗冷链建设', 'B', 9_600_000, true, false, false],
  ['WJW02', '慢性病监测', 'C', 2_100_000, false, false, false],
  ['WJW03', '急救站点建设', 'B', 16_800_000, true, true, false],
  ['WJW03', '急救车辆更新', 'B', 11_200_000, false, false, false],
  ['WJW03', '急救培训进社区', 'C', 850_000, false, false, true],
  ['JTJ', '公交优先发展补贴', 'A', 310_000_000, false, false, true],
  ['JTJ', '综合交通规划研究', 'C', 3_800_000, false, false, false],
  ['JTJ', '交通运输执法装备', 'C', 4_200_000, false, false, false],
  ['JTJ01', '国省道大中修工程', 'A', 156_000_000, false, true, false],
  ['JTJ01', '危桥改造', 'A', 48_000_000, false, true, false],
  ['JTJ01', '内河航道养护', 'B', 13_500_000, false, false, false],
  ['JTJ01', '公路安全生命防护工程', 'B', 26_000_000, true, true, false],
  ['JTJ01', '农村公路养护补助', 'B', 19_000_000, false, false, true],
  ['JTJ02', '出租车油价补贴', 'B', 22_000_000, false, false, true],
  ['JTJ02', '驾培行业监管平台', 'C', 1_600_000, true, false, false],
  ['JTJ02', '道路运输安全监管', 'C', 2_750_000, false, false, false],
  ['JYJ', '中小学课后服务补助', 'B', 24_000_000, true, false, true],
  ['WJW', '家庭医生签约服务', 'B', 14_600_000, false, false, true],
  ['JTJ', '新能源公交车购置补助', 'A', 92_000_000, true, false, true],
  ['WJW01', '互联网医院建设', 'C', 4_900_000, true, false, false],
];

const here = path.dirname(fileURLToPath(import.meta.url));
const wb = new ExcelJS.Workbook();
const ws = wb.addWorksheet('项目');
ws.columns = [
  { header: '项目编码', key: 'code', width: 16 },
  { header: '项目名称', key: 'name', width: 32 },
  { header: '单位编码', key: 'department', width: 10 },
  { header: '年度', key: 'year', width: 8 },
  { header: '等级', key: 'tier', width: 6 },
  { header: '金额（元）', key: 'amount', width: 16, style: { numFmt: '#,##0.00' } },
  { header: '新增项目', key: 'is_new', width: 10 },
  { header: '政府投资', key: 'is_gov_investment', width: 10 },
  { header: '政策类', key: 'is_policy', width: 8 },
];
ws.getRow(1).font = { bold: true };
projects.forEach(([department, name, tier, amount, isNew, gov, policy], i) => {
  ws.addRow({
    code: `2026-${department}-${String(i + 1).padStart(3, '0')}`,
    name, department, year: 2026, tier, amount,
    is_new: isNew ? '是' : '否', is_gov_investment: gov ? '是' : '否', is_policy: policy ? '是' : '否',
  });
});
await wb.xlsx.writeFile(path.join(here, 'projects.xlsx'));
console.log(`wrote ${projects.length} projects to examples/projects.xlsx`);
