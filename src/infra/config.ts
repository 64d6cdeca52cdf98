import { z } from "zod";
import { SEMANTIC_SEGMENTATION_REGIONS, SEMANTIC_SEGMENTATION_REGISTRIES } from "../catalog/images.js";
import { GPU_TRAINING_INSTANCE_TYPES } from "../catalog/instances.js";
import { MAX_RUNTIME_LIMIT_SECONDS } from "../catalog/sagemaker-api.js";

/**
 * The stack's configuration: every `segsweep:*` key, validated once by one zod schema. The
 * schema holds the defaults; Pulumi.yaml declares the same keys with the same defaults (a test
 * keeps the two equal), so `pulumi up` on a stack with only `aws:region` set works.
 *
 * Pulumi hands every config value to the program as a string (structured values as JSON), so
 * non-string keys are JSON-parsed before validation; a value that does not parse stays a string
 * and zod reports it against the expected type.
 */

const parseJson = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};
const json = <T extends z.ZodType>(schema: T) => z.preprocess(parseJson, schema);
/** Optional strings: Pulumi.yaml's default "" means "not set" (a typed key without a default would be required). */
const emptyIsUnset = (value: unknown): unknown => (value === "" ? undefined : value);

const GpuInstanceType = z.enum(GPU_TRAINING_INSTANCE_TYPES as [string, ...string[]], {
  error: `a GPU training instance type of segsweep's catalog (the algorithm trains on GPUs only): ${GPU_TRAINING_INSTANCE_TYPES.join(", ")}`,
});
const Days = z.number().int().min(1).max(36_500);
const QuotaValue = z.number().int().min(1, "at least 1 instance (leave the key out to request nothing)");

// S3 bucket naming rules (S3 user guide, "General purpose bucket naming rules"): 3-63 characters,
// lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
const BucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit",
  )
  .refine(
    (name) => !/\.\.|^\d+\.\d+\.\d+\.\d+$|^xn--|-s3alias$/.test(name),
    "not an IP address, no '..', no xn-- prefix or -s3alias suffix",
  );

const KmsKeyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)");

// Who may assume the operator role: an account id (its root, i.e. anyone the account's IAM lets in)
// or an IAM principal ARN (an SSO permission-set role, a CI OIDC role, a user).
const Principal = z.union(
  [z.string().regex(/^\d{12}$/), z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|role\/.+|user\/.+|assumed-role\/.+)$/)],
  { error: "a 12-digit account id or an IAM principal ARN (arn:aws:iam::<account>:role/<name>, :user/<name> or :root)" },
);

// Tag keys/values: IAM and S3 allow 128/256 characters of letters, digits, spaces and _.:/=+-@.
const TagKey = z
  .string()
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, "1-128 letters, digits, spaces or _.:/=+-@")
  .refine((key) => !key.startsWith("aws:"), "keys starting with aws: are reserved by AWS");
const TagValue = z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, "at most 256 letters, digits, spaces or _.:/=+-@");

/** The schema of the `segsweep:*` keys (names without the project prefix). */
export const InfraConfigSchema = z
  .strictObject({
    bucketName: z.preprocess(emptyIsUnset, BucketName.optional()),
    forceDestroy: json(z.boolean()).default(false),
    instanceTypes: json(z.array(GpuInstanceType).min(1, "at least one GPU instance type")).default([
      "ml.p3.2xlarge",
      "ml.g4dn.xlarge",
      "ml.g5.xlarge",
    ]),
    quotas: json(
      z.partialRecord(GpuInstanceType, z.strictObject({ onDemand: QuotaValue.optional(), spot: QuotaValue.optional() })),
    ).default({}),
    // 0 = request nothing (Pulumi.yaml needs a default of the declared type).
    totalTrainingInstancesQuota: json(z.number().int().min(0)).default(0),
    // CreateTrainingJob StoppingCondition.MaxRuntimeInSeconds is 1 s to 28 days (API model).
    maxRuntimeSeconds: json(
      z.number().int().min(1).max(MAX_RUNTIME_LIMIT_SECONDS, "at most 2419200 (28 days, the CreateTrainingJob limit)"),
    ).default(86_400),
    // Warm pools keep instances (and their bill) after a job ends; KeepAlivePeriodInSeconds is 0-21600 (API model).
    maxKeepAliveSeconds: json(z.number().int().min(0).max(21_600)).default(0),
    checkpointExpirationDays: json(Days).default(14),
    noncurrentVersionExpirationDays: json(Days).default(30),
    abortIncompleteUploadDays: json(Days).default(7),
    kmsKeyArn: z.preprocess(emptyIsUnset, KmsKeyArn.optional()),
    createKmsKey: json(z.boolean()).default(false),
    events: json(z.boolean()).default(true),
    // Campaign jobs must run in the stack's private VPC (network.ts): off by default, since a VPC
    // changes nothing for a team whose operators are trusted with the data (docs/pulumi.md).
    requireVpc: json(z.boolean()).default(false),
    // The Step Functions state machine that runs campaigns server-side (state-machine.ts).
    serverSideCampaigns: json(z.boolean()).default(false),
    operatorPrincipals: json(z.array(Principal)).default([]),
    tags: json(z.record(TagKey, TagValue)).default({}),
  })
  .superRefine((config, ctx) => {
    if (config.kmsKeyArn !== undefined && config.createKmsKey) {
      ctx.addIssue({
        code: "custom",
        path: ["createKmsKey"],
        message: "set either kmsKeyArn (use an existing key) or createKmsKey: true, not both",
      });
    }
    for (const type of Object.keys(config.quotas)) {
      if (!config.instanceTypes.includes(type)) {
        ctx.addIssue({
          code: "custom",
          path: ["quotas", type],
          message: `a quota for an instance type that is not in instanceTypes (${config.instanceTypes.join(", ")}); add it there or remove the quota`,
        });
      }
    }
  });

/** The validated configuration, plus the region it deploys to. */
export type InfraConfig = z.infer<typeof InfraConfigSchema> & { readonly region: string };

/** Bad stack configuration; the message names each key, the value given and what is allowed. */
export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InfraConfigError";
  }
}

function describeInput(input: unknown): string {
  if (input === undefined) return "";
  const text = JSON.stringify(input);
  return ` (got ${text.length > 80 ? `${text.slice(0, 77)}...` : text})`;
}

/**
 * Validates the raw config of the project `project` (keys without the `project:` prefix, values
 * as Pulumi passes them) for `region`. Pure; throws InfraConfigError listing every problem.
 */
export function parseInfraConfig(project: string, raw: Readonly<Record<string, string>>, region: string | undefined): InfraConfig {
  const problems: string[] = [];
  if (region === undefined || region === "") {
    problems.push("aws:region: not set. Set it with: pulumi config set aws:region us-east-1");
  } else if (SEMANTIC_SEGMENTATION_REGISTRIES[region] === undefined) {
    problems.push(
      `aws:region: the SageMaker semantic segmentation algorithm is not available in "${region}". ` +
        `Choose one of: ${SEMANTIC_SEGMENTATION_REGIONS.join(", ")}.`,
    );
  }
  const parsed = InfraConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [key, ...rest] = issue.path;
      const where =
        key === undefined
          ? project
          : `${project}:${String(key)}${rest.map((p) => `[${typeof p === "number" ? p : JSON.stringify(String(p))}]`).join("")}`;
      const message =
        issue.code === "unrecognized_keys"
          ? `unknown key(s) ${issue.keys.map((k) => `${project}:${k}`).join(", ")}; known keys: ${Object.keys(InfraConfigSchema.shape).join(", ")}`
          : issue.code === "invalid_key"
            ? `invalid key: ${issue.issues.map((inner) => inner.message).join("; ")}`
            : issue.message;
      problems.push(`${where}: ${message}${issue.code === "unrecognized_keys" ? "" : describeInput(issue.input)}`);
    }
  }
  if (problems.length > 0 || !parsed.success || region === undefined) {
    throw new InfraConfigError(
      `Invalid stack configuration:\n${problems.map((p) => `  ✖ ${p}`).join("\n")}\nFix it with: pulumi config set <key> <value> (see Pulumi.yaml for every key).`,
    );
  }
  return { ...parsed.data, region };
}
