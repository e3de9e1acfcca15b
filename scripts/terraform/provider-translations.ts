/**
 * What changes when Terraform written for hashicorp/aws 6.x is read by an older 5.x provider
 * (the only one in our machines' filesystem mirror). `npm run validate` and `npm run plan:offline`
 * apply exactly these rewrites to a scratch copy when the mirror lacks the pinned version, print
 * each one, and fail on every other diagnostic. Each entry is a textual rewrite that works on both
 * the JSON (`cdk.tf.json`) and the HCL (`cdk.tf`) synth.
 */
export interface ProviderTranslation {
  /** What 6.x writes, as shown to the user. */
  readonly from: string;
  /** What the 5.x provider expects instead. */
  readonly to: string;
  /** Why the two differ. */
  readonly reason: string;
  readonly pattern: RegExp;
  readonly replacement: string;
}

/** Rewrites from hashicorp/aws 6.x to 5.x, applied only when validating with a 5.x provider. */
export const AWS_6_TO_5: readonly ProviderTranslation[] = [
  {
    from: 'data.aws_region.<name>.region',
    to: 'data.aws_region.<name>.name',
    reason: '6.0 renamed the attribute (5.x has only `name`)',
    pattern: /\b(data\.aws_region\.[A-Za-z0-9_-]+)\.region\b/g,
    replacement: '$1.name',
  },
  {
    from: 'runtime "nodejs24.x"',
    to: 'runtime "nodejs22.x"',
    reason: "5.x's runtime list ends at nodejs22.x (AWS added nodejs24.x in November 2025)",
    pattern: /("?runtime"?\s*[:=]\s*)"nodejs24\.x"/g,
    replacement: '$1"nodejs22.x"',
  },
];

/** The translations needed to read configuration written for `pinnedMajor` with a `providerMajor` provider. */
export function translationsBetween(pinnedMajor: number, providerMajor: number): readonly ProviderTranslation[] {
  if (pinnedMajor === providerMajor) return [];
  if (pinnedMajor === 6 && providerMajor === 5) return AWS_6_TO_5;
  throw new Error(
    `No translation table from hashicorp/aws ${pinnedMajor}.x to ${providerMajor}.x; mirror ${pinnedMajor}.x or add a table to scripts/terraform/provider-translations.ts.`,
  );
}

/** Applies the translations to one file's text; returns the new text and how often each one applied. */
export function translate(text: string, translations: readonly ProviderTranslation[]): { text: string; counts: number[] } {
  const counts: number[] = [];
  let out = text;
  for (const t of translations) {
    counts.push(out.match(t.pattern)?.length ?? 0);
    out = out.replace(t.pattern, t.replacement);
  }
  return { text: out, counts };
}

/** Sets the aws provider's version constraint of a JSON or HCL synth to `version`. */
export function pinAwsProviderVersion(text: string, format: 'json' | 'hcl', version: string): string {
  if (format === 'json') {
    const doc = JSON.parse(text) as { terraform?: { required_providers?: Record<string, { version?: string }> } };
    const aws = doc.terraform?.required_providers?.aws;
    if (!aws) throw new Error('no terraform.required_providers.aws in the synthesized JSON');
    aws.version = version;
    return JSON.stringify(doc, null, 2);
  }
  const pinned = text.replace(/(required_providers\s*\{\s*aws\s*=\s*\{[^}]*?\bversion\s*=\s*)"[^"]*"/, `$1"${version}"`);
  if (pinned === text && !text.includes(`"${version}"`)) throw new Error('no required_providers aws version in the HCL');
  return pinned;
}
