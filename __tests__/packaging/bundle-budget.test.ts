/**
 * Bundle sizes are deterministic (the same inputs give the same bytes), so their budgets are held
 * here, not only reported by `npm run bench:bundles`: the project's real handlers, as zipped.
 */
import { prebuildHandlerArtifacts } from '../../packaging/artifact';
import { BUNDLE_BUDGET_KIB, bundleBudgetKiB, HANDLER_NAMES, SDK_HANDLERS } from '../../packaging/handlers';

const artifacts = prebuildHandlerArtifacts();

it('GIVEN the budgets THEN the AWS-calling handlers get the larger one and every other handler the smaller', () => {
  expect(BUNDLE_BUDGET_KIB.sdk).toBeGreaterThan(BUNDLE_BUDGET_KIB.other);
  for (const handler of HANDLER_NAMES) {
    const sdk = (SDK_HANDLERS as readonly string[]).includes(handler);
    expect(bundleBudgetKiB(handler)).toBe(sdk ? BUNDLE_BUDGET_KIB.sdk : BUNDLE_BUDGET_KIB.other);
  }
});

it.each(HANDLER_NAMES)('GIVEN the %s bundle THEN its index.js fits its budget', (handler) => {
  const artifact = artifacts.find((a) => a.handler === handler);
  expect(artifact).toBeDefined();
  expect(artifact!.bundle.byteLength).toBeLessThanOrEqual(bundleBudgetKiB(handler) * 1024);
});
