import { lifecycleConditionsAsBlocks } from '../../stacks/synth-output';

describe('lifecycleConditionsAsBlocks', () => {
  it("GIVEN cdktf's argument form of a postcondition list THEN each entry becomes a postcondition block, the rest unchanged", () => {
    const hcl = [
      'data "aws_ec2_instance_type_offerings" "zones" {',
      '  lifecycle {',
      '    postcondition = [',
      '      {',
      '        condition     = "${length(self.locations) >= 2}"',
      '        error_message = "Fewer than 2 zones."',
      '      },',
      '      {',
      '        condition     = "${true}"',
      '        error_message = "Second."',
      '      },',
      '    ]',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(lifecycleConditionsAsBlocks(hcl)).toBe(
      [
        'data "aws_ec2_instance_type_offerings" "zones" {',
        '  lifecycle {',
        '    postcondition {',
        '      condition     = "${length(self.locations) >= 2}"',
        '      error_message = "Fewer than 2 zones."',
        '    }',
        '    postcondition {',
        '      condition     = "${true}"',
        '      error_message = "Second."',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it("GIVEN the writer's unindented output (before terraform fmt) THEN the list becomes a block too", () => {
    const raw = 'lifecycle {\n  postcondition = [\n{\ncondition = "${true}"\nerror_message = "m"\n},\n]\n}\n';
    expect(lifecycleConditionsAsBlocks(raw)).toBe(
      'lifecycle {\n  postcondition {\n    condition = "${true}"\n    error_message = "m"\n  }\n}\n',
    );
  });

  it('GIVEN HCL without such a list THEN it is returned as it was', () => {
    const hcl = 'resource "a" "b" {\n  lifecycle {\n    ignore_changes = [ami]\n  }\n}\n';
    expect(lifecycleConditionsAsBlocks(hcl)).toBe(hcl);
  });
});
