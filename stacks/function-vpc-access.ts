import { Construct } from 'constructs';
import { DataAwsPrefixList } from '@cdktf/provider-aws/lib/data-aws-prefix-list';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface FunctionVpcAccessProps {
  /** Prefix of every name (`orders-dev`). */
  readonly namePrefix: string;
  /** Region of the endpoint services. */
  readonly region: string;
  /** VPC the functions are attached to. */
  readonly vpcId: string;
  /** Private subnets of the functions and the endpoints' network interfaces (one per AZ). */
  readonly subnetIds: string[];
}

/**
 * What the order functions need to run in private subnets without any internet path: a security
 * group of their own, HTTPS only, to S3 (the network's free gateway endpoint, by prefix list) and to
 * interface endpoints for Step Functions (the API function starts and describes executions) and X-Ray
 * (traces), both with private DNS. Lambda itself ships logs and decrypts environment variables outside
 * the VPC, and S3 calls KMS for SSE-KMS, so no logs or KMS endpoint is needed.
 */
export class FunctionVpcAccess extends Construct {
  /** Security group of the functions. */
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: FunctionVpcAccessProps) {
    super(scope, id);
    const name = (suffix: string) => `${props.namePrefix}-${suffix}`;
    const functions = new SecurityGroup(this, 'functions', {
      name: name('functions'),
      description: 'Order Lambda functions: HTTPS to S3 and to the Step Functions and X-Ray endpoints only',
      vpcId: props.vpcId,
      tags: { Name: name('functions') },
    });
    const endpoints = new SecurityGroup(this, 'endpoints', {
      name: name('function-endpoints'),
      description: 'Step Functions and X-Ray endpoints of the order functions: HTTPS from them only',
      vpcId: props.vpcId,
      tags: { Name: name('function-endpoints') },
    });
    const https = { ipProtocol: 'tcp', fromPort: 443, toPort: 443 };
    new VpcSecurityGroupIngressRule(this, 'https-from-functions', {
      ...https,
      securityGroupId: endpoints.id,
      referencedSecurityGroupId: functions.id,
      description: 'HTTPS from the order functions',
    });
    new VpcSecurityGroupEgressRule(this, 'https-to-endpoints', {
      ...https,
      securityGroupId: functions.id,
      referencedSecurityGroupId: endpoints.id,
      description: 'HTTPS to the Step Functions and X-Ray endpoints',
    });
    const s3 = new DataAwsPrefixList(this, 's3-prefix-list', { name: `com.amazonaws.${props.region}.s3` });
    new VpcSecurityGroupEgressRule(this, 'https-to-s3', {
      ...https,
      securityGroupId: functions.id,
      prefixListId: s3.id,
      description: 'HTTPS to S3 through the gateway endpoint',
    });
    for (const service of FUNCTION_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [endpoints.id],
        tags: { Name: name(service) },
      });
    }
    this.securityGroupId = functions.id;
  }
}

/** Interface endpoints the functions call: Step Functions (`states`) and X-Ray. */
export const FUNCTION_ENDPOINT_SERVICES = ['states', 'xray'] as const;
