import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';

export interface SsmEndpointsProps {
  /** Prefix of every name (`orders-dev`). */
  readonly namePrefix: string;
  /** VPC of the endpoints. */
  readonly vpcId: string;
  /** CIDR allowed to reach the endpoints on 443. */
  readonly vpcCidr: string;
  /** Private subnets, one endpoint network interface in each. */
  readonly subnetIds: string[];
  /** Region of the endpoint services. */
  readonly region: string;
}

/** The three services Session Manager needs from a host without internet access. */
export const SSM_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;

/**
 * Interface endpoints for SSM Session Manager (ssm, ssmmessages, ec2messages) with private DNS,
 * behind a security group that admits HTTPS from the VPC only.
 */
export class SsmEndpoints extends Construct {
  readonly securityGroupId: string;

  constructor(scope: Construct, id: string, props: SsmEndpointsProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.namePrefix}-ssm-endpoints`,
      description: 'SSM interface endpoints: HTTPS from inside the VPC only',
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-ssm-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'https-from-vpc', {
      securityGroupId: securityGroup.id,
      description: 'HTTPS from instances in this VPC to the SSM endpoints',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    this.securityGroupId = securityGroup.id;
    for (const service of SSM_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [securityGroup.id],
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }
}
