import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../../policy/rules';
import { describeScope, globalSkipChecks, WAIVERS } from '../../policy/waivers';

describe('the waiver table', () => {
  it.each(WAIVERS.map((w) => [w.ruleId, w] as const))('%s names an existing rule and gives a reason', (_id, w) => {
    expect(ALL_RULES.map((r) => r.id)).toContain(w.ruleId);
    expect(w.reason.length).toBeGreaterThan(30);
    expect(describeScope(w.scope)).not.toBe('');
  });

  it('turns only the waivers for all resources into checkov --skip-check ids', () => {
    const skips = globalSkipChecks();
    expect(skips).toEqual(expect.arrayContaining(['CKV_AWS_116', 'CKV_AWS_120', 'CKV_AWS_272']));
    // Scoped waivers (dev-only, log-target-only) must stay enforced elsewhere.
    expect(skips).not.toContain('CKV_AWS_338');
    expect(skips).not.toContain('CKV_AWS_145');
  });
});

describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('states the rule counts the suite has', () => {
    const own = ALL_RULES.filter((r) => r.id.startsWith('ORDERS_')).length;
    expect(readme).toContain(`applies ${ALL_RULES.length} rules — ${ALL_RULES.length - own} checkov ids`);
    expect(readme).toContain(`and ${own} \`ORDERS_\` rules of our own`);
    expect(readme).toContain(`a policy suite of ${ALL_RULES.length - own} checkov rule ids`);
  });

  it.each(WAIVERS.map((w) => [w.ruleId, w] as const))('lists the %s waiver with its reason', (id, w) => {
    expect(readme).toContain(`| \`${id}\` | ${describeScope(w.scope)} | ${w.reason} |`);
  });
});

describe('docs/policy.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');

  it('lists every rule', () => {
    expect(ALL_RULES.filter((r) => !doc.includes(`| \`${r.id}\` | ${r.area} | ${r.title} |`)).map((r) => r.id)).toEqual([]);
  });
});
