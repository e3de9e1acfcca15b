/**
 * The layer rules of docs/architecture.md, checked with dependency-cruiser and the project's
 * .dependency-cruiser.cjs: the source tree has no violation, and each rule reports one when
 * a fixture tree commits it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
// The package's exports map hides bin/: the path is fixed by its package.json `bin`.
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const SOURCES = ['main.ts', 'config', 'spec', 'stacks', 'handlers', 'workflow', 'local', 'packaging', 'policy', 'scripts', 'bench'];

async function depcruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...paths], {
      cwd,
      timeout: 120_000,
    });
    return { code: 0, output: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('dependency rules', () => {
  const files: Record<string, string> = {
    'handlers/uses-cdktf.ts': "import { App } from 'cdktf';\nexport const a = App;\n",
    'handlers/uses-stacks.ts': "import { s } from '../stacks/stack';\nexport const a = s;\n",
    'handlers/uses-local.ts': "import { l } from '../local/runtime';\nexport const a = l;\n",
    'spec/uses-constructs.ts': "import { Construct } from 'constructs';\nexport const a = Construct;\n",
    'spec/uses-config.ts': "import { c } from '../config/index';\nexport const a = c;\n",
    'workflow/uses-cdktf.ts': "import { Fn } from 'cdktf';\nexport const a = Fn;\n",
    'stacks/stack.ts': "import { l } from '../local/runtime';\nexport const s = l;\n",
    'stacks/uses-provider-root.ts': "import * as aws from '@cdktf/provider-aws';\nexport const a = aws;\n",
    'policy/uses-scripts.ts': "import { x } from '../scripts/tool';\nexport const a = x;\n",
    'local/runtime.ts': 'export const l = 1;\n',
    'config/index.ts': 'export const c = 1;\n',
    'config/uses-scripts.ts': "import { x } from '../scripts/tool';\nexport const a = x;\n",
    'scripts/tool.ts': 'export const x = 1;\n',
    'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node10", "strict": true } }\n',
  };
  let dir: string;
  // Both runs start at once and overlap (each takes seconds).
  let sourceTree: Promise<{ code: number; output: string }>;
  let brokenTree: Promise<{ code: number; output: string }>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'order-infra-depcruise-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    sourceTree = depcruise(ROOT, SOURCES);
    brokenTree = depcruise(dir, ['handlers', 'spec', 'workflow', 'stacks', 'policy', 'config']);
  });
  afterAll(async () => {
    await Promise.allSettled([sourceTree, brokenTree]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the source tree keeps every rule', async () => {
    const { code, output } = await sourceTree;
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it.each([
    ['handlers-not-infrastructure', 'handlers/uses-cdktf.ts', 'node_modules/cdktf/'],
    ['handlers-not-infrastructure', 'handlers/uses-stacks.ts', 'stacks/stack.ts'],
    ['handlers-not-infrastructure', 'handlers/uses-local.ts', 'local/runtime.ts'],
    ['spec-and-workflow-pure', 'spec/uses-constructs.ts', 'node_modules/constructs/'],
    ['spec-and-workflow-pure', 'workflow/uses-cdktf.ts', 'node_modules/cdktf/'],
    ['spec-imports-nothing', 'spec/uses-config.ts', 'config/index.ts'],
    ['config-imports-only-spec', 'config/uses-scripts.ts', 'scripts/tool.ts'],
    ['stacks-not-local', 'stacks/stack.ts', 'local/runtime.ts'],
    ['provider-classes-from-their-modules', 'stacks/uses-provider-root.ts', 'node_modules/@cdktf/provider-aws/lib/index.js'],
    ['policy-not-scripts', 'policy/uses-scripts.ts', 'scripts/tool.ts'],
  ])('GIVEN a tree that breaks it THEN %s reports %s → %s', async (rule, from, to) => {
    const { code, output } = await brokenTree;
    expect(code).not.toBe(0);
    const line = output.split('\n').find((l) => l.includes(`${rule}: ${from} → `) && l.includes(to));
    expect({ rule, from, to, reported: line !== undefined }).toEqual({ rule, from, to, reported: true });
  });
});
