import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../../policy/rules';

/** The checkov ids the suite promises to cover (the PR workflow's real checkov applies each of them). */
const REQUIRED = [
  'CKV_AWS_50',
  'CKV_AWS_115',
  'CKV_AWS_173',
  'CKV_AWS_363',
  'CKV_AWS_301',
  'CKV_AWS_364',
  'CKV_AWS_18',
  'CKV_AWS_21',
  'CKV_AWS_145',
  'CKV_AWS_300',
  'CKV2_AWS_6',
  'CKV2_AWS_61',
  'CKV2_AWS_65',
  'CKV_AWS_53',
  'CKV_AWS_54',
  'CKV_AWS_55',
  'CKV_AWS_56',
  'CKV_AWS_70',
  'CKV_AWS_93',
  'CKV_AWS_59',
  'CKV_AWS_73',
  'CKV_AWS_76',
  'CKV_AWS_276',
  'CKV2_AWS_4',
  'CKV2_AWS_29',
  'CKV2_AWS_53',
  'CKV2_AWS_77',
  'CKV_AWS_217',
  'CKV_AWS_175',
  'CKV_AWS_192',
  'CKV_AWS_342',
  'CKV2_AWS_31',
  'CKV_AWS_284',
  'CKV_AWS_285',
  'CKV_AWS_66',
  'CKV_AWS_158',
  'CKV_AWS_338',
  'CKV_AWS_8',
  'CKV_AWS_79',
  'CKV_AWS_88',
  'CKV_AWS_130',
  'CKV_AWS_23',
  'CKV_AWS_24',
  'CKV_AWS_25',
  'CKV_AWS_260',
  'CKV_AWS_277',
  'CKV2_AWS_5',
  'CKV2_AWS_11',
  'CKV2_AWS_12',
  'CKV2_AWS_41',
  'CKV_AWS_60',
  'CKV_AWS_61',
  'CKV_AWS_62',
  'CKV_AWS_63',
  'CKV_AWS_274',
  'CKV2_AWS_40',
  'CKV_AWS_7',
  'CKV_AWS_33',
  'CKV2_AWS_64',
  'CKV2_AWS_62',
  'CKV_AWS_117',
  'CKV_AWS_225',
  'CKV_AWS_237',
];

describe('the rule set', () => {
  const ids = ALL_RULES.map((r) => r.id);

  it.each(REQUIRED)('covers %s', (id) => {
    expect(ids).toContain(id);
  });

  it('has no duplicate ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a verdict table (run by runVerdictCases) for every area, which checks a passing and a failing case per rule', () => {
    const text = readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.ts') && f !== 'index.test.ts')
      .map((f) => readFileSync(join(__dirname, f), 'utf8'))
      .join('\n');
    const areas = [...new Set(ALL_RULES.map((r) => r.area))];
    expect(areas.filter((a) => !text.includes(`runVerdictCases('${a}'`))).toEqual([]);
  });

  it('gives rules of our own opinion an ORDERS_ id and every other rule a checkov id', () => {
    expect(ids.filter((id) => !/^(CKV2?_AWS_\d+|ORDERS_[A-Z0-9_]+)$/.test(id))).toEqual([]);
  });
});
