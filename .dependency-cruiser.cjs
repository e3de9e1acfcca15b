/**
 * The dependency rules of docs/architecture.md ("Layout"), checked by `npm test`
 * (__tests__/dependency-rules.test.ts runs depcruise with this file).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'handlers-not-infrastructure',
      comment: 'Lambda code never imports cdktf, constructs, the stacks or the local runtime.',
      severity: 'error',
      from: { path: '^handlers/' },
      to: { path: ['(^|/)node_modules/(cdktf|constructs|@cdktf)/', '^stacks/', '^local/'] },
    },
    {
      name: 'spec-and-workflow-pure',
      comment: 'The spec and the workflow definition import no cdktf or constructs (nor the stacks or the local runtime).',
      severity: 'error',
      from: { path: ['^spec/', '^workflow/'] },
      to: { path: ['(^|/)node_modules/(cdktf|constructs|@cdktf)/', '^stacks/', '^local/'] },
    },
    {
      name: 'spec-imports-nothing',
      comment: 'The spec is the bottom layer: it imports nothing of ours but itself.',
      severity: 'error',
      from: { path: '^spec/' },
      to: { path: '^(config|handlers|packaging|policy|scripts|bench|workflow|main\\.ts)' },
    },
    {
      name: 'config-imports-only-spec',
      comment: 'The typed configuration reads the environment and the spec: nothing else of ours.',
      severity: 'error',
      from: { path: '^config/' },
      to: { path: '^(handlers|local|packaging|policy|scripts|bench|stacks|workflow|main\\.ts)' },
    },
    {
      name: 'stacks-not-local',
      comment: 'The Terraform stacks never depend on the local runtime.',
      severity: 'error',
      from: { path: '^stacks/' },
      to: { path: '^local/' },
    },
    {
      name: 'policy-not-scripts',
      comment: 'The policy suite does not import scripts/.',
      severity: 'error',
      from: { path: '^policy/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'provider-classes-from-their-modules',
      comment: 'The provider package root loads ~2,200 modules: import @cdktf/provider-aws/lib/<resource> instead.',
      severity: 'error',
      from: {},
      to: { path: '(^|/)node_modules/@cdktf/provider-aws/lib/index\\.js$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdktf\\.out|\\.local|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
