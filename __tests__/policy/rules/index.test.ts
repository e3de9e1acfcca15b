import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../../policy/rules';

/** The checkov ids the suite promises to cover. */
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
];

describe('the rule set', () => {
  const ids = ALL_RULES.map((r) => r.id);

  it.each(REQUIRED)('covers %s', (id) => {
    expect(ids).toContain(id);
  });

  it('has no duplicate ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a fail/pass fixture case for every rule', () => {
    // Each rule's table entry is written `id: '<ID>'` in one of the area test files beside this one.
    const text = readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.ts') && f !== 'index.test.ts')
      .map((f) => readFileSync(join(__dirname, f), 'utf8'))
      .join('\n');
    const missing = ids.filter((id) => !text.includes(`id: '${id}'`));
    expect(missing).toEqual([]);
  });
});
