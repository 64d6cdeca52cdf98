import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BUCKET_PREFIXES } from "./policies/document.js";
import { bucketPolicy } from "./policies/storage.js";

/** Arguments of {@link TrainingBucket}. */
export interface TrainingBucketArgs {
  /** Physical bucket name; generated from the component name when absent. */
  readonly bucketName?: string | undefined;
  /** Let `pulumi destroy` delete a bucket that still holds objects. */
  readonly forceDestroy: boolean;
  /** SSE-KMS with this key (and a bucket key); SSE-S3 when absent. */
  readonly kmsKeyArn?: pulumi.Input<string> | undefined;
  /** Days after which `checkpoints/` objects expire. */
  readonly checkpointExpirationDays: number;
  /** Days after which noncurrent object versions expire. */
  readonly noncurrentVersionExpirationDays: number;
  /** Days after which incomplete multipart uploads are aborted. */
  readonly abortIncompleteUploadDays: number;
  /** The partition, for the ARNs in the bucket policy. */
  readonly partition: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The campaign bucket: private (all four public-access blocks, ACLs disabled), encrypted, versioned,
 * TLS-only, with lifecycle rules for checkpoints, old versions and abandoned uploads.
 * Layout: datasets/, outputs/, checkpoints/, campaigns/ (see BUCKET_PREFIXES).
 */
export class TrainingBucket extends pulumi.ComponentResource {
  /** The bucket's name. */
  readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  readonly bucketArn: pulumi.Output<string>;
  readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: TrainingBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:storage:TrainingBucket", name, {}, opts);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { ...(args.bucketName !== undefined ? { bucket: args.bucketName } : {}), forceDestroy: args.forceDestroy, tags: { ...args.tags } },
      parent,
    );
    const bucket = this.bucket.id;
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      parent,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          args.kmsKeyArn !== undefined
            ? // The bucket key cuts KMS requests (and their cost) for SSE-KMS objects.
              { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    // One lifecycle configuration per bucket: a second one causes perpetual diffs (pulumi-aws docs).
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-checkpoints",
            status: "Enabled",
            filter: { prefix: BUCKET_PREFIXES.checkpoints },
            expiration: { days: args.checkpointExpirationDays },
          },
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays },
          },
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadDays },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi
          .all([args.partition, this.bucket.bucket])
          .apply(([partition, bucketName]) => JSON.stringify(bucketPolicy(partition, bucketName))),
      },
      // After the public-access block: S3 rejects concurrent changes to both.
      { parent: this, dependsOn: [publicAccess] },
    );
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

/** Arguments of {@link BucketKey}. */
export interface BucketKeyArgs {
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A customer-managed KMS key for the bucket, with yearly rotation. Its key policy is KMS's default
 * (the account's IAM policies decide), so the training role and the operator policy grant its use.
 */
export class BucketKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: BucketKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("segsweep:storage:BucketKey", name, {}, opts);
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: "segsweep campaign bucket (SSE-KMS)", enableKeyRotation: true, deletionWindowInDays: 30, tags: { ...args.tags } },
      { parent: this },
    );
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
