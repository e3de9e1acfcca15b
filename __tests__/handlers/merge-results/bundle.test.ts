import { build } from 'esbuild';
import { handlerBuildOptions } from '../../../packaging/bundle';

describe('merge-results bundle', () => {
  it('GIVEN the deployed build options THEN the bundle holds the merge rules and not the payment simulator', async () => {
    // Prepare: the same options the stack and the local runtime bundle with, plus a metafile.
    const result = await build({ ...handlerBuildOptions('merge-results'), metafile: true });
    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toEqual(
      expect.arrayContaining(['handlers/merge-results/index.ts', 'handlers/shared/merge.ts', 'handlers/shared/step-error.ts']),
    );
    expect(inputs.filter((i) => /handlers\/shared\/(payment|failed-order)\.ts$/.test(i))).toEqual([]);
  });
});
