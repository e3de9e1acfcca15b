# A separate Terraform configuration that reads order-infra's outputs through
# terraform_remote_state on the S3 backend. The keys below are the project's defaults for
# dev (ORDERS_STATE_BUCKET, ORDERS_STATE_REGION and ORDERS_STATE_KEY_PREFIX change them):
#   <key prefix>/<environment>/<stack>.tfstate
# Reading state needs s3:GetObject on the key (and kms:Decrypt on the state key); it takes
# no lock, so use_lockfile only matters to the stacks that write these states.
# The test __tests__/examples/remote-state-consumer.test.ts keeps this file in step with
# the synthesized stacks.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "terraform_remote_state" "orders_network" {
  backend = "s3"
  config = {
    bucket = "order-infra-terraform-state"
    key    = "order-infra/dev/orders-network-dev.tfstate"
    region = "us-east-1"
  }
}

data "terraform_remote_state" "orders_app" {
  backend = "s3"
  config = {
    bucket = "order-infra-terraform-state"
    key    = "order-infra/dev/orders-app-dev.tfstate"
    region = "us-east-1"
  }
}

# A reporting job's security group in the order system's VPC.
resource "aws_security_group" "reporting" {
  name        = "orders-reporting-dev"
  description = "Reporting job reading order records"
  vpc_id      = data.terraform_remote_state.orders_network.outputs.vpc_id
}

# Read-only access to the order records (and the listing index) for that job.
data "aws_iam_policy_document" "read_orders" {
  statement {
    sid     = "ReadOrderRecords"
    actions = ["s3:GetObject"]
    resources = [
      "arn:aws:s3:::${data.terraform_remote_state.orders_app.outputs.orders_bucket_name}/orders/records/*",
      "arn:aws:s3:::${data.terraform_remote_state.orders_app.outputs.orders_bucket_name}/orders/index/*",
    ]
  }
  statement {
    sid       = "ListOrderIndex"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${data.terraform_remote_state.orders_app.outputs.orders_bucket_name}"]
  }
  # Order records are SSE-KMS objects under the app key: reading one needs kms:Decrypt on it, and only
  # through S3 (kms:ViaService), not as a general decrypt grant.
  statement {
    sid       = "DecryptOrderRecords"
    actions   = ["kms:Decrypt"]
    resources = [data.terraform_remote_state.orders_app.outputs.app_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.us-east-1.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "read_orders" {
  name   = "orders-reporting-read-dev"
  policy = data.aws_iam_policy_document.read_orders.json
}

# Page the on-call team of this estate when the order workflow fails.
resource "aws_cloudwatch_metric_alarm" "order_workflow_failures" {
  alarm_name          = "orders-reporting-dev-workflow-failures"
  namespace           = "AWS/States"
  metric_name         = "ExecutionsFailed"
  dimensions          = { StateMachineArn = data.terraform_remote_state.orders_app.outputs.state_machine_arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
}

output "orders_api_url" {
  description = "POST orders here (with the x-api-key header)"
  value       = data.terraform_remote_state.orders_app.outputs.api_gateway_url
}

output "orders_private_subnet_ids" {
  description = "Private subnets of the order system's VPC"
  value       = data.terraform_remote_state.orders_network.outputs.private_subnet_ids
}

output "orders_waf_web_acl_arn" {
  description = "Web ACL to reuse in front of other regional APIs of this estate"
  value       = data.terraform_remote_state.orders_app.outputs.waf_web_acl_arn
}
