import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { DataAwsPrefixList } from '@cdktf/provider-aws/lib/data-aws-prefix-list';
import type { OrderInfraConfig } from '../config';
import { configureAwsStack } from './aws-stack-defaults';
import { EncryptionKey } from './encryption-key';
import { flowLogGroupName } from './vpc-flow-logs';
import { VpcNetwork } from './vpc-network';
import { OpsHost } from './ops-host';

export interface NetworkStackProps {
  /** The environment's configuration. */
  readonly config: OrderInfraConfig;
}

/**
 * `orders-network-<env>`: the VPC (created, or an existing one by id), its flow logs and
 * endpoints, and the operations host. Outputs `vpc_id`, `private_subnet_ids`, `ops_host_instance_id`.
 */
export class NetworkStack extends TerraformStack {
  readonly opsHostInstanceId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id);
    const { config } = props;
    const { network } = config;
    configureAwsStack(this, config, id);

    const key = new EncryptionKey(this, 'network-key', {
      alias: `${config.namePrefix}-network`,
      description: `order-infra ${config.environment}: flow logs and operations host volume`,
      existingKeyArn: config.existingKmsKeyArn,
      // Only the flow logs of a VPC this stack creates use the key through a service (EBS uses the caller's grants).
      logGroupNames: network.existingVpcId === undefined ? [flowLogGroupName(config.namePrefix)] : [],
    });

    let vpcCidr: string;
    if (network.existingVpcId !== undefined && network.existingPrivateSubnetIds !== undefined) {
      // An existing estate owns the VPC, its flow logs, endpoints and routes: only read it.
      const vpc = new DataAwsVpc(this, 'existing-vpc', { id: network.existingVpcId });
      this.vpcId = network.existingVpcId;
      this.privateSubnetIds = [...network.existingPrivateSubnetIds];
      vpcCidr = vpc.cidrBlock;
    } else {
      const vpc = new VpcNetwork(this, 'vpc', {
        namePrefix: config.namePrefix,
        cidr: network.vpcCidr,
        logRetentionDays: config.logRetentionDays,
        kmsKeyArn: key.keyArn,
        ssmAccess: network.ssmAccess,
      });
      this.vpcId = vpc.vpcId;
      this.privateSubnetIds = vpc.privateSubnetIds;
      vpcCidr = vpc.vpcCidr;
    }

    const s3PrefixList = new DataAwsPrefixList(this, 's3-prefix-list', { name: `com.amazonaws.${config.region}.s3` });
    const opsHost = new OpsHost(this, 'ops-host', {
      namePrefix: config.namePrefix,
      vpcId: this.vpcId,
      vpcCidr,
      subnetId: this.privateSubnetIds[0],
      s3PrefixListId: s3PrefixList.id,
      kmsKeyArn: key.keyArn,
      instanceType: network.opsHostInstanceType,
      amiId: network.opsHostAmiId,
      allowHttpsToInternet: network.ssmAccess === 'nat',
    });
    this.opsHostInstanceId = opsHost.instanceId;

    new TerraformOutput(this, 'vpc_id', { value: this.vpcId, description: 'Id of the VPC' });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.privateSubnetIds, description: 'Ids of the private subnets' });
    new TerraformOutput(this, 'ops_host_instance_id', {
      value: this.opsHostInstanceId,
      description: 'Id of the EC2 operations host (connect with aws ssm start-session)',
    });
  }
}
