/**
 * Who owns `aws_api_gateway_account`: the setting (the CloudWatch role API Gateway logs with) exists
 * once per account and region. Two environments managing it in one account make every apply point it
 * at its own role, and destroying one of them resets it for the other. So exactly one environment per
 * account and region owns it: prod by default, dev only when it is known to live elsewhere.
 */
import { ACCOUNT_ID, REGION } from './patterns';
import { ENVIRONMENT_NAMES, type EnvironmentName, type OrderInfraConfig } from './types';
import { ConfigError, type Env, VariableReader } from './variable-reader';

/** Where an environment deploys, as far as configuration tells: no account ids means "unknown". */
interface Placement {
  readonly region: string;
  readonly accountIds: readonly string[];
}

function placementOf(environment: EnvironmentName, env: Env): Placement {
  const reader = new VariableReader(environment, env);
  return {
    region: reader.string('REGION', 'us-east-1', REGION, 'a region'),
    accountIds: reader.list('ACCOUNT_ID', [], ACCOUNT_ID, 'account ids'),
  };
}

/** True unless configuration proves the two environments are in different accounts or regions. */
export function maySharePlacement(a: Placement, b: Placement): boolean {
  if (a.region !== b.region) return false;
  // An environment without account ids may be anywhere, so it may be where the other one is.
  if (a.accountIds.length === 0 || b.accountIds.length === 0) return true;
  return a.accountIds.some((id) => b.accountIds.includes(id));
}

/** The default of `ORDERS_<ENV>_MANAGE_API_GATEWAY_ACCOUNT`: prod owns it; dev only when it cannot share prod's account and region. */
export function ownsApiGatewayAccountByDefault(environment: EnvironmentName, env: Env): boolean {
  if (environment === 'prod') return true;
  return !maySharePlacement(placementOf(environment, env), placementOf('prod', env));
}

/**
 * One problem per pair of environments that both manage the account setting while they may share an
 * account and region. Every environment counts, selected or not: their states are deployed either way.
 * An environment whose configuration does not load is left out (its own errors are reported when selected).
 */
export function apiGatewayAccountConflicts(load: (environment: EnvironmentName) => OrderInfraConfig): string[] {
  const owners: OrderInfraConfig[] = [];
  for (const name of ENVIRONMENT_NAMES) {
    try {
      const config = load(name);
      if (config.api.manageAccountRole) owners.push(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  const problems: string[] = [];
  owners.forEach((a, i) => {
    for (const b of owners.slice(i + 1)) {
      const placement = (c: OrderInfraConfig) => ({ region: c.region, accountIds: c.allowedAccountIds });
      if (!maySharePlacement(placement(a), placement(b))) continue;
      const accounts = (c: OrderInfraConfig) =>
        `${c.environment}: ${c.allowedAccountIds.length > 0 ? c.allowedAccountIds.join(',') : 'not configured'}`;
      const upper = (c: OrderInfraConfig) => c.environment.toUpperCase();
      problems.push(
        `ORDERS_${upper(a)}_MANAGE_API_GATEWAY_ACCOUNT and ORDERS_${upper(b)}_MANAGE_API_GATEWAY_ACCOUNT are both true while ` +
          `${a.environment} and ${b.environment} may share an account in ${a.region} (account ids ${accounts(a)}; ${accounts(b)}); ` +
          'aws_api_gateway_account exists once per account and region, so exactly one environment may manage it: ' +
          `set ORDERS_${upper(a)}_MANAGE_API_GATEWAY_ACCOUNT=false, or give ORDERS_${upper(a)}_ACCOUNT_ID and ORDERS_${upper(b)}_ACCOUNT_ID different accounts`,
      );
    }
  });
  return problems;
}
