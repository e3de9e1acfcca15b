/**
 * The oldest Terraform the stacks work with: the S3 backend's native locking (`use_lockfile`)
 * arrived in 1.10. Free of cdktf imports, so the prod preflight reads it without loading the provider.
 */
export const MIN_TERRAFORM_VERSION = '1.10.0';
