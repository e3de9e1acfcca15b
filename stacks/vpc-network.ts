import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsEc2InstanceTypeOfferings } from '@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings';
import type { SsmAccess } from '../config';
import { awsContext } from './aws-stack-defaults';
import { VpcFlowLogs } from './vpc-flow-logs';
import { SsmEndpoints } from './ssm-endpoints';

export interface VpcNetworkProps {
  /** Prefix of every name (`orders-dev`). */
  readonly namePrefix: string;
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly cidr: string;
  /** Retention of the flow-log group, days. */
  readonly logRetentionDays: number;
  /** KMS key encrypting the flow-log group. */
  readonly kmsKeyArn: string;
  /** How private subnets reach SSM. @default 'endpoints' */
  readonly ssmAccess?: SsmAccess;
  /** Number of availability zones (a private subnet in each, and a public one with NAT). @default 2 */
  readonly availabilityZoneCount?: number;
  /** Use only availability zones that offer this instance type (the operations host's). @default - any available AZ */
  readonly availabilityZoneInstanceType?: string;
}

/**
 * A VPC with private subnets over several availability zones, and public ones only for a NAT path.
 *
 * Defaults: 2 AZs (the first available ones of the region in name order, never hard-coded;
 * with `availabilityZoneInstanceType` only those offering that type), subnets of 1/16 of the
 * VPC each (the public slices stay reserved without NAT, so adding it renumbers nothing), no
 * subnet mapping public IPs on launch, one route table per private subnet, flow logs of ALL
 * traffic, the default security group adopted with no rules, an S3 gateway endpoint (free) on
 * the private route tables, and SSM interface endpoints (`ssmAccess: 'endpoints'`). Only with
 * `ssmAccess: 'nat'` are there public subnets, a public route table, an internet gateway and
 * the NAT gateway: without NAT nothing in the VPC has a path to the internet.
 */
export class VpcNetwork extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly privateRouteTableIds: string[];

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const ssmAccess = props.ssmAccess ?? 'endpoints';
    const azCount = props.availabilityZoneCount ?? 2;
    validateVpcNetworkProps(props, azCount);

    const region = awsContext(this).region;
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      // Local and Wavelength zones lack most services; use the region's own AZs only.
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const zoneNames = props.availabilityZoneInstanceType
      ? instanceTypeZones(this, zones.names, props.availabilityZoneInstanceType, azCount)
      : zones.names;
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    const vpc = new Vpc(this, 'vpc', { cidrBlock: props.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: name('vpc') });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    // Adopting the default group strips its allow-all rules, so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: vpc.id, ingress: [], egress: [], tags: name('default-do-not-use') });
    new VpcFlowLogs(this, 'flow-logs', {
      namePrefix: props.namePrefix,
      vpcId: vpc.id,
      logRetentionDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });

    // Public subnets exist only to hold the NAT gateway: without one they would be unused internet routes.
    const nat = ssmAccess === 'nat';
    const igw = nat ? new InternetGateway(this, 'internet-gateway', { vpcId: vpc.id, tags: name('igw') }) : undefined;
    const publicRouteTable = igw ? new RouteTable(this, 'public-route-table', { vpcId: vpc.id, tags: name('public') }) : undefined;
    if (igw && publicRouteTable) {
      new Route(this, 'public-default-route', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    }

    const subnetCidrs = splitCidr(props.cidr, 4);
    const publicSubnets: Subnet[] = [];
    const privateRouteTables: RouteTable[] = [];
    this.publicSubnetIds = [];
    this.privateSubnetIds = [];
    for (let i = 0; i < azCount; i++) {
      const availabilityZone = Fn.element(zoneNames, i);
      if (publicRouteTable) {
        const publicSubnet = new Subnet(this, `public-subnet-${i}`, {
          vpcId: vpc.id,
          cidrBlock: subnetCidrs[i],
          availabilityZone,
          mapPublicIpOnLaunch: false,
          tags: { ...name(`public-${i}`), Tier: 'public' },
        });
        new RouteTableAssociation(this, `public-subnet-${i}-routes`, { subnetId: publicSubnet.id, routeTableId: publicRouteTable.id });
        publicSubnets.push(publicSubnet);
        this.publicSubnetIds.push(publicSubnet.id);
      }
      const privateSubnet = new Subnet(this, `private-subnet-${i}`, {
        vpcId: vpc.id,
        cidrBlock: subnetCidrs[azCount + i],
        availabilityZone,
        mapPublicIpOnLaunch: false,
        tags: { ...name(`private-${i}`), Tier: 'private' },
      });
      const routeTable = new RouteTable(this, `private-route-table-${i}`, { vpcId: vpc.id, tags: name(`private-${i}`) });
      new RouteTableAssociation(this, `private-subnet-${i}-routes`, { subnetId: privateSubnet.id, routeTableId: routeTable.id });
      privateRouteTables.push(routeTable);
      this.privateSubnetIds.push(privateSubnet.id);
    }
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);

    // Gateway endpoints cost nothing and keep S3 traffic (SSM agent updates, dnf repos) off NAT.
    new VpcEndpoint(this, 's3-gateway-endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.privateRouteTableIds,
      tags: name('s3'),
    });

    if (ssmAccess === 'endpoints') {
      new SsmEndpoints(this, 'ssm-endpoints', {
        namePrefix: props.namePrefix,
        vpcId: vpc.id,
        vpcCidr: props.cidr,
        subnetIds: this.privateSubnetIds,
        region,
      });
    } else if (igw) {
      // One NAT gateway, not one per AZ: the ops host is the only client and is not highly available.
      const eip = new Eip(this, 'nat-eip', { domain: 'vpc', tags: name('nat'), dependsOn: [igw] });
      const nat = new NatGateway(this, 'nat-gateway', {
        allocationId: eip.allocationId,
        subnetId: publicSubnets[0].id,
        tags: name('nat'),
        dependsOn: [igw],
      });
      privateRouteTables.forEach((table, i) => {
        new Route(this, `private-${i}-default-route`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      });
    }
  }
}

/**
 * The names of the AZs (among `zoneNames`) that offer `instanceType`, sorted, failing the plan with
 * a clear message when fewer than `azCount` do (element() would otherwise wrap and reuse one AZ).
 */
function instanceTypeZones(scope: Construct, zoneNames: string[], instanceType: string, azCount: number): string[] {
  const offerings = new DataAwsEc2InstanceTypeOfferings(scope, 'instance-type-zones', {
    locationType: 'availability-zone',
    filter: [
      { name: 'instance-type', values: [instanceType] },
      { name: 'location', values: zoneNames },
    ],
    lifecycle: {
      postcondition: [
        {
          condition: `\${length(self.locations) >= ${azCount}}`,
          errorMessage: `Fewer than ${azCount} availability zones of the region offer ${instanceType}; choose another ORDERS_OPS_HOST_INSTANCE_TYPE.`,
        },
      ],
    },
  });
  return Fn.sort(offerings.locations);
}

function validateVpcNetworkProps(props: VpcNetworkProps, azCount: number): void {
  const problems: string[] = [];
  if (Token.isUnresolved(props.cidr) || !/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/.test(props.cidr)) {
    problems.push(`cidr is "${props.cidr}"; use a literal IPv4 CIDR from /16 to /24 such as 10.20.0.0/16`);
  }
  if (!Number.isInteger(azCount) || azCount < 2 || azCount > 8) {
    problems.push(`availabilityZoneCount is ${azCount}; use 2 to 8 (two subnets per AZ must fit in 16 slices of the VPC)`);
  }
  if (problems.length > 0) throw new Error(`VpcNetwork: ${problems.join('; ')}`);
}

/** Splits an IPv4 CIDR into 2^newBits equal subnets, computed here so the plan shows literal CIDRs. */
export function splitCidr(cidr: string, newBits: number): string[] {
  const [address, bitsText] = cidr.split('/');
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const prefix = Number(bitsText) + newBits;
  const size = 2 ** (32 - prefix);
  const network = base - (base % (size * 2 ** newBits));
  return Array.from({ length: 2 ** newBits }, (_, i) => {
    const n = network + i * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')}/${prefix}`;
  });
}
