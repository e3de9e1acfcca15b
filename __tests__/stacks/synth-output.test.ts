import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleSynthFiles, restoreHclTerraformSettings } from '../../stacks/synth-output';

describe('removeStaleSynthFiles', () => {
  let out: string;
  const file = (stack: string, name: string) => join(out, 'stacks', stack, name);
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'orders-synth-out-'));
    for (const stack of ['a', 'b']) mkdirSync(join(out, 'stacks', stack), { recursive: true });
    for (const f of [file('a', 'cdk.tf.json'), file('a', 'cdk.tf'), file('b', 'cdk.tf')]) writeFileSync(f, '');
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('GIVEN a JSON synth over an earlier HCL synth THEN the stale cdk.tf goes where cdk.tf.json was written', () => {
    expect(removeStaleSynthFiles(out, false)).toEqual([file('a', 'cdk.tf')]);
    expect(existsSync(file('a', 'cdk.tf.json'))).toBe(true);
    // Stack b was not written by this synth: left alone.
    expect(existsSync(file('b', 'cdk.tf'))).toBe(true);
  });

  it('GIVEN an HCL synth over an earlier JSON synth THEN the stale cdk.tf.json goes', () => {
    expect(removeStaleSynthFiles(out, true)).toEqual([file('a', 'cdk.tf.json')]);
    expect(existsSync(file('a', 'cdk.tf'))).toBe(true);
  });

  it('GIVEN no stacks folder THEN nothing happens', () => {
    expect(removeStaleSynthFiles(join(out, 'missing'), false)).toEqual([]);
  });
});

describe('restoreHclTerraformSettings', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'orders-synth-hcl-'));
    mkdirSync(join(out, 'stacks', 'a'), { recursive: true });
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));
  const write = (hcl: string) => writeFileSync(join(out, 'stacks', 'a', 'cdk.tf'), hcl);
  const read = () => readFileSync(join(out, 'stacks', 'a', 'cdk.tf'), 'utf8');

  it("GIVEN cdktf's broken terraform-block setting THEN it is written back with its value", () => {
    write('terraform {\nbackend "local" {\n}\n\n  0 = "required_version"\n}\n');
    expect(restoreHclTerraformSettings(out, { required_version: '>= 1.10' })).toBe(1);
    expect(read()).toBe('terraform {\nbackend "local" {\n}\n\n  required_version = ">= 1.10"\n}\n');
  });

  it('GIVEN a broken setting without a known value THEN the synth fails naming it', () => {
    write('terraform {\n  0 = "experiments"\n}\n');
    expect(() => restoreHclTerraformSettings(out, { required_version: '>= 1.10' })).toThrow(/setting "experiments" lost its value/);
  });
});
