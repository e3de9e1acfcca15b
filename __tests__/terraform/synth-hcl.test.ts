/**
 * `npm run synth:hcl` with a Terraform CLI on PATH: the HCL is `terraform fmt`-clean, and a
 * `cdk.tf.json` left by an earlier JSON synth in the same folders is gone (so `cdktf diff`, which
 * synthesizes JSON again, never sees both formats). Run by `.ci/run` (jest.terraform.config.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../scripts/synth-hcl';
import { findTerraform } from '../../scripts/terraform/terraform-cli';

describe('npm run synth:hcl with the Terraform CLI', () => {
  let out: string;
  let code: number;
  const log: string[] = [];

  beforeAll(() => {
    if (!findTerraform()) throw new Error('these tests need `terraform` on PATH (.ci/run runs them only then)');
    out = mkdtempSync(join(tmpdir(), 'orders-synth-hcl-'));
    mkdirSync(join(out, 'stacks', 'orders-app-dev'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'orders-app-dev', 'cdk.tf.json'), '{}');
    code = main([out], (l) => log.push(l));
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes every stack as HCL and says it was formatted', () => {
    expect(code).toBe(0);
    expect(log).toEqual([`HCL written under ${out}/stacks and formatted with terraform fmt.`]);
    expect(readdirSync(join(out, 'stacks')).filter((s) => existsSync(join(out, 'stacks', s, 'cdk.tf')))).toHaveLength(5);
  });

  it('leaves HCL that terraform fmt -check accepts', () => {
    const fmt = spawnSync(findTerraform()!, ['fmt', '-check', '-recursive', join(out, 'stacks')], { encoding: 'utf8' });
    expect(fmt.stdout).toBe('');
    expect(fmt.status).toBe(0);
  });

  it('removes the stale cdk.tf.json of an earlier JSON synth', () => {
    expect(existsSync(join(out, 'stacks', 'orders-app-dev', 'cdk.tf.json'))).toBe(false);
  });
});
