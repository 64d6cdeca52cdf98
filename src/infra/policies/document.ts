/**
 * IAM policy documents as plain data. Every policy the stack deploys is built by a pure function
 * from plain strings, so the tests evaluate, with a real IAM policy evaluator, exactly the
 * documents that `pulumi up` puts into AWS.
 */

/** A condition block: operator -> key -> value(s). */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement. `Principal` only in resource-based and trust policies. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: PolicyCondition;
}

/** A policy document (identity, resource or trust policy). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Wraps statements into a document. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Where the stack lives: partition, region and account. */
export interface AwsScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The prefixes of the bucket's layout; each ends with "/". */
export const BUCKET_PREFIXES = {
  /** Training data, read by training jobs (uploaded by the platform team). */
  datasets: "datasets/",
  /** Model artifacts, written by training jobs (`outputs/<campaign>/<job>/`). */
  outputs: "outputs/",
  /** Spot checkpoints, read and written by training jobs; expired by the lifecycle rules. */
  checkpoints: "checkpoints/",
  /** Campaign records written by the segsweep CLI. */
  campaigns: "campaigns/",
} as const;

/** `arn:<partition>:s3:::<bucket>`. */
export function bucketArn(partition: string, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

/** Object ARN pattern of every key under `prefix` (which ends with "/"). */
export function prefixObjectsArn(partition: string, bucketName: string, prefix: string): string {
  return `${bucketArn(partition, bucketName)}/${prefix}*`;
}

/** `s3://<bucket>/<prefix>`. */
export function s3Uri(bucketName: string, prefix: string): string {
  return `s3://${bucketName}/${prefix}`;
}
