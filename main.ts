/**
 * The order-infra app: typed configuration per environment → stacks → synth.
 * A configuration error is reported (without a stack trace) before any stack is built.
 */
// First: bundles the handlers before cdktf and the provider load, so esbuild's memory peak
// does not stack on the synth's (docs/packaging.md, "Synth speed").
import './packaging/prebuild';
import { App, Aspects } from 'cdktf';
import { ConfigError, loadAllConfigs, type OrderInfraConfig } from './config';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { NetworkStack } from './stacks/network-stack';
import { OrderAppStack } from './stacks/app-stack';
import { HclBlockStatements } from './stacks/hcl-block-statements';
import { HclDependsOnReferences } from './stacks/hcl-depends-on';
import { HclSafeJsonDocuments, isHclSynth } from './stacks/hcl-json-documents';
import { removeStaleSynthFiles, restoreHclTerraformSettings, rewriteHclLifecycleConditions } from './stacks/synth-output';
import { MIN_TERRAFORM_VERSION } from './stacks/aws-stack-defaults';

function loadConfigsOrExit(): OrderInfraConfig[] {
  try {
    return loadAllConfigs(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const configs = loadConfigsOrExit();
const app = new App();
new BootstrapStack(app, 'orders-bootstrap', { configs });
for (const config of configs) {
  const network = new NetworkStack(app, `orders-network-${config.environment}`, { config });
  // The app reads the network's named outputs through terraform_remote_state; the dependency makes
  // `cdktf deploy` apply the network first.
  const orders = new OrderAppStack(app, `orders-app-${config.environment}`, { config, networkStackName: network.node.id });
  orders.addDependency(network);
}
if (isHclSynth()) {
  // cdktf invokes aspects per stack (not inherited from the app), so add it to each stack.
  for (const stack of app.node.children) {
    Aspects.of(stack).add(new HclSafeJsonDocuments());
    Aspects.of(stack).add(new HclBlockStatements());
    Aspects.of(stack).add(new HclDependsOnReferences());
  }
}
app.synth();
removeStaleSynthFiles(app.outdir, isHclSynth());
if (isHclSynth()) {
  restoreHclTerraformSettings(app.outdir, { required_version: MIN_TERRAFORM_VERSION });
  rewriteHclLifecycleConditions(app.outdir);
}
