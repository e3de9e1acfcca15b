import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { awsContext } from './aws-stack-defaults';
import { serviceTrustPolicy } from './iam-documents';

export interface OpsHostProps {
  /** Prefix of every name (`orders-dev`). */
  readonly namePrefix: string;
  /** VPC of the host. */
  readonly vpcId: string;
  /** CIDR of the VPC (HTTPS egress to interface endpoints). */
  readonly vpcCidr: string;
  /** A private subnet. */
  readonly subnetId: string;
  /** Id of the S3 prefix list of the region (HTTPS egress through the gateway endpoint). */
  readonly s3PrefixListId: string;
  /** KMS key encrypting the root volume. */
  readonly kmsKeyArn: string;
  /** Instance type (arm64). @default 't4g.micro' */
  readonly instanceType?: string;
  /** Pin this AMI. @default - latest Amazon Linux 2023 arm64 at first apply; later AMI releases are ignored */
  readonly amiId?: string;
  /** Allow HTTPS to the internet (needed when SSM is reached through a NAT gateway). @default false */
  readonly allowHttpsToInternet?: boolean;
}

/** SSM public parameter naming the latest Amazon Linux 2023 (arm64) AMI. */
export const AL2023_ARM64_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

/**
 * An EC2 operations host reachable only through SSM Session Manager.
 *
 * Defaults: t4g.micro in a private subnet, no public IP, no inbound rule at all, egress only
 * HTTPS to the VPC and to S3, IMDSv2 required (hop limit 1), encrypted gp3 root volume with
 * the given key (tagged with the name and the provider's default tags), EBS-optimized, detailed monitoring, and a role with only
 * `AmazonSSMManagedInstanceCore`.
 */
export class OpsHost extends Construct {
  readonly instance: Instance;
  readonly instanceId: string;
  readonly securityGroupId: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: OpsHostProps) {
    super(scope, id);
    const instanceType = props.instanceType ?? 't4g.micro';
    const allowHttpsToInternet = props.allowHttpsToInternet ?? false;
    if (props.amiId !== undefined && !Token.isUnresolved(props.amiId) && !/^ami-[0-9a-f]{8,17}$/.test(props.amiId)) {
      throw new Error(
        `OpsHost: amiId is "${props.amiId}"; use an AMI id such as ami-0123456789abcdef0, or leave it unset for the latest Amazon Linux 2023`,
      );
    }
    const name = `${props.namePrefix}-ops-host`;
    const partition = awsContext(this).partition;

    const securityGroup = new SecurityGroup(this, 'security-group', {
      name,
      description: 'Operations host: no inbound access (Session Manager only), HTTPS out',
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    this.securityGroupId = securityGroup.id;
    const https = { securityGroupId: securityGroup.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443 };
    new VpcSecurityGroupEgressRule(this, 'https-to-vpc', {
      ...https,
      cidrIpv4: props.vpcCidr,
      description: 'HTTPS to SSM interface endpoints in the VPC',
    });
    new VpcSecurityGroupEgressRule(this, 'https-to-s3', {
      ...https,
      prefixListId: props.s3PrefixListId,
      description: 'HTTPS to S3 through the gateway endpoint (agent and package updates)',
    });
    if (allowHttpsToInternet) {
      new VpcSecurityGroupEgressRule(this, 'https-to-internet', {
        ...https,
        cidrIpv4: '0.0.0.0/0',
        description: 'HTTPS to public SSM endpoints through the NAT gateway',
      });
    }

    const role = new IamRole(this, 'role', {
      name,
      description: 'Operations host: Session Manager only',
      // EC2 sets no aws:SourceAccount when it assumes an instance profile's role: no condition possible.
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    this.roleName = role.name;
    new IamRolePolicyAttachment(this, 'ssm-core', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const profile = new IamInstanceProfile(this, 'instance-profile', { name, role: role.name });

    const ami = props.amiId ?? new DataAwsSsmParameter(this, 'ami', { name: AL2023_ARM64_AMI_PARAMETER }).insecureValue;
    this.instance = new Instance(this, 'instance', {
      ami,
      instanceType,
      subnetId: props.subnetId,
      associatePublicIpAddress: false,
      vpcSecurityGroupIds: [securityGroup.id],
      iamInstanceProfile: profile.name,
      metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
      // Tags on the device itself (not volume_tags) are the ones the provider merges default_tags into.
      rootBlockDevice: { volumeType: 'gp3', encrypted: true, kmsKeyId: props.kmsKeyArn, deleteOnTermination: true, tags: { Name: name } },
      ebsOptimized: true,
      monitoring: true,
      tags: { Name: name },
      // A newer AMI in the SSM parameter must not replace a running host; patch it in place with SSM.
      lifecycle: props.amiId === undefined ? { ignoreChanges: ['ami'] } : undefined,
    });
    this.instanceId = this.instance.id;
  }
}
