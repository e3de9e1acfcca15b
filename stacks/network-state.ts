import { Construct } from 'constructs';
import { DataTerraformRemoteStateS3 } from 'cdktf';
import type { OrderInfraConfig } from '../config';
import { stateKey } from './aws-stack-defaults';

export interface NetworkStateProps {
  /** The environment's configuration (its state bucket, region and key prefix). */
  readonly config: OrderInfraConfig;
  /** Name of the network stack whose state is read, e.g. `orders-network-dev`. */
  readonly networkStackName: string;
}

/**
 * The network stack's outputs, read with `terraform_remote_state`. Its named, non-sensitive outputs
 * are read (not cdktf's cross-stack outputs, which are `sensitive`), so plans show what depends on
 * them — the dashboard body, the ops-host alarm — instead of "(sensitive value)".
 */
export class NetworkState extends Construct {
  /** `ops_host_instance_id` of the network stack. */
  readonly opsHostInstanceId: string;
  /** `vpc_id` of the network stack. */
  readonly vpcId: string;
  /** `private_subnet_ids` of the network stack. */
  readonly privateSubnetIds: string[];

  constructor(scope: Construct, id: string, props: NetworkStateProps) {
    super(scope, id);
    const { state } = props.config;
    const remote = new DataTerraformRemoteStateS3(this, 'state', {
      bucket: state.bucket,
      key: stateKey(props.config, props.networkStackName),
      region: state.region,
    });
    this.opsHostInstanceId = remote.getString('ops_host_instance_id');
    this.vpcId = remote.getString('vpc_id');
    this.privateSubnetIds = remote.getList('private_subnet_ids');
  }
}
