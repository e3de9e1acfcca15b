/** Shapes of the values configuration accepts; each is checked before any stack is built. */
export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const NAME_PREFIX = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
export const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
export const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const TAG_KEY = /^[\w .:/=+@-]{1,128}$/;

/** An IPv4 CIDR with valid octets and a prefix from /16 to /24. */
export function validCidr(value: string): boolean {
  const m = CIDR.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  return octets.every((o) => o <= 255) && bits >= 16 && bits <= 24;
}

/** `Group:Rule=action`: a managed rule's action replaced, e.g. `AWSManagedRulesAnonymousIpList:HostingProviderIPList=count`. */
export const WAF_RULE_ACTION_OVERRIDE = /^(AWSManagedRules\w+):([\w-]{1,128})=(allow|block|count|captcha|challenge)$/;
