/** Every rule of the policy suite, in the order the CLI prints them. */
import type { PolicyRule } from '../types';
import { apiGatewayRules } from './api-gateway';
import { ec2NetworkRules } from './ec2-network';
import { iamKmsRules } from './iam-kms';
import { lambdaRules } from './lambda';
import { s3Rules } from './s3';
import { logsRules, stepFunctionsRules } from './step-functions-and-logs';
import { wafRules } from './waf';

export const ALL_RULES: readonly PolicyRule[] = [
  ...lambdaRules,
  ...s3Rules,
  ...apiGatewayRules,
  ...wafRules,
  ...stepFunctionsRules,
  ...logsRules,
  ...ec2NetworkRules,
  ...iamKmsRules,
];

/** Rules of our own opinion (not checkov's): their ids start with ORDERS_. */
export const isOwnRule = (rule: PolicyRule): boolean => rule.id.startsWith('ORDERS_');
