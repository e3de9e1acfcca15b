import { findTerraformJson, loadModel, runPolicies, where, type RuleResult } from '../../policy/engine';
import { readPolicy } from '../../policy/policy-document';
import type { PolicyModel } from '../../policy/types';
import { synthesizedOutdir } from './synthesized';

describe('the policy suite over the real synthesized stacks (default config, dev and prod)', () => {
  let model: PolicyModel;
  let results: RuleResult[];

  beforeAll(() => {
    model = loadModel(findTerraformJson(synthesizedOutdir()));
    results = runPolicies(model);
  }, 180_000);

  it('synthesizes every stack of both environments', () => {
    expect(model.stacks).toEqual(
      expect.arrayContaining(['orders-bootstrap', 'orders-network-dev', 'orders-app-dev', 'orders-network-prod', 'orders-app-prod']),
    );
  });

  it('has no unwaived policy failure', () => {
    const failures = results.flatMap((r) => r.failures.map((f) => `${r.rule.id} ${where(f)}: ${f.message}`));
    expect(failures).toEqual([]);
  });

  it('evaluates the core rules on real resources (none silently not applicable)', () => {
    const notApplicable = results.filter((r) => r.status === 'N/A').map((r) => r.rule.id);
    expect(notApplicable).toEqual([]);
  });

  it('can read every IAM, KMS and bucket policy document statically', () => {
    const unreadable = results.flatMap((r) =>
      r.unknown.filter((f) => /not statically readable/.test(f.message ?? '')).map((f) => `${r.rule.id} ${where(f)}`),
    );
    expect(unreadable).toEqual([]);
  });

  it('reads every policy document of the stacks (none left unparsed) through readPolicy', () => {
    const holders = model.resources.filter((r) => typeof r.config.policy === 'string' || typeof r.config.assume_role_policy === 'string');
    expect(holders.length).toBeGreaterThan(10);
    const unread = holders
      .filter((r) => !readPolicy(r.config.policy ?? r.config.assume_role_policy, r, model))
      .map((r) => `${r.stack}: ${r.address}`);
    expect(unread).toEqual([]);
  });
});
