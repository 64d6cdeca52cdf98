import type { JobsPlan } from "../plan/types.js";
import type { StackOutputs } from "../stack/outputs.js";
import { formatDuration } from "../util/duration.js";
import { type CallerIdentity, type CheckResult, result } from "./report.js";

/**
 * Checks against the stack: the account and region the credentials reach, and the guardrails of
 * the operator policy (instance types, maximum run time), which SageMaker would otherwise answer
 * with AccessDenied at CreateTrainingJob. Pure. Config key names are those of Pulumi.yaml.
 */

/** The account the stack lives in: the account of its training role. */
export function stackAccount(stack: StackOutputs): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(stack.trainingRoleArn)?.[1];
}

const seconds = (value: number): string => `${formatDuration(value)} (${value} s)`;

/** Who and where: the caller's account must be the stack's, the region the stack's. */
export function checkIdentity(identity: CallerIdentity, stack: StackOutputs, endpoints: Readonly<Record<string, string>>): CheckResult {
  const where = Object.entries(endpoints).map(([service, url]) => `${service} ${url}`);
  const said = `account ${identity.account}${identity.arn ? ` (${identity.arn})` : ""}, region ${identity.region}, endpoints: ${
    where.length > 0 ? where.join(", ") : "AWS"
  }`;
  const account = stackAccount(stack);
  if (account !== undefined && account !== identity.account) {
    return result("identity", identity.account, "fail", `${said}; the stack lives in account ${account} (its training role's)`, {
      fix: "Use credentials of the stack's account (AWS_PROFILE, or assume the stack's operator role), or pass that account's stack outputs.",
    });
  }
  if (identity.region !== stack.region) {
    return result("identity", identity.account, "fail", `${said}; the stack lives in region ${stack.region}`, {
      fix: `Run in the stack's region: export AWS_REGION=${stack.region}`,
    });
  }
  return result("identity", identity.account, "pass", said);
}

/** The instance type must be one the operator policy allows (stack output instanceTypes). */
export function checkInstanceType(plan: JobsPlan, stack: StackOutputs): CheckResult {
  const type = plan.resources.instanceType;
  const allowed = stack.instanceTypes;
  const numbers = { allowedTypes: allowed.length };
  if (allowed.includes(type)) {
    return result("instance-type", type, "pass", `${type} is one of the stack's instance types (${allowed.join(", ")})`, { numbers });
  }
  return result(
    "instance-type",
    type,
    "fail",
    `${type} is not one of the stack's instance types (${allowed.join(", ")}): the operator policy denies CreateTrainingJob with it`,
    {
      numbers,
      fix: `Set resources.instance_type to one of ${allowed.join(", ")}, or allow it: pulumi config set --path 'instanceTypes[${allowed.length}]' ${type} && pulumi up`,
    },
  );
}

/** max_runtime within the stack's maxRuntimeSeconds (the operator policy denies longer ones). */
export function checkMaxRuntime(plan: JobsPlan, stack: StackOutputs): CheckResult {
  const runtime = plan.resources.maxRuntimeSeconds;
  const cap = stack.maxRuntimeSeconds;
  const subject = "resources.max_runtime";
  if (cap === undefined) {
    return result(
      "max-runtime",
      subject,
      "warn",
      `max_runtime ${seconds(runtime)} not checked: the stack outputs have no maxRuntimeSeconds`,
      {
        numbers: { maxRuntimeSeconds: runtime, stackMaxRuntimeSeconds: null },
        fix: "Run `pulumi up` with this version of segsweep so the stack exports maxRuntimeSeconds, then read its outputs again.",
      },
    );
  }
  const numbers = { maxRuntimeSeconds: runtime, stackMaxRuntimeSeconds: cap };
  if (runtime <= cap)
    return result("max-runtime", subject, "pass", `max_runtime ${seconds(runtime)} is within the stack's ${seconds(cap)}`, { numbers });
  return result(
    "max-runtime",
    subject,
    "fail",
    `max_runtime ${seconds(runtime)} is over the stack's maximum run time ${seconds(cap)}: the operator policy denies CreateTrainingJob`,
    {
      numbers,
      fix: `Lower resources.max_runtime to ${formatDuration(cap)} or less, or allow it: pulumi config set maxRuntimeSeconds ${runtime} && pulumi up`,
    },
  );
}

/**
 * max_wait (spot only) against the stack's maximum run time. IAM has no condition key on
 * MaxWaitTimeInSeconds (docs/sources.md#preflight), so the operator policy cannot deny it: over the
 * cap is a warning, not a failure. Spot bills the run time, not the wait.
 */
export function checkMaxWait(plan: JobsPlan, stack: StackOutputs): CheckResult | undefined {
  const wait = plan.resources.maxWaitSeconds;
  if (!plan.resources.spot || wait === undefined) return undefined;
  const cap = stack.maxRuntimeSeconds;
  const subject = "resources.max_wait";
  const numbers = { maxWaitSeconds: wait, stackMaxRuntimeSeconds: cap ?? null };
  if (cap === undefined || wait <= cap) {
    return result(
      "max-wait",
      subject,
      "pass",
      `max_wait ${seconds(wait)}${cap !== undefined ? ` is within the stack's ${seconds(cap)}` : ""}`,
      {
        numbers,
      },
    );
  }
  return result(
    "max-wait",
    subject,
    "warn",
    `max_wait ${seconds(wait)} is over the stack's maximum run time ${seconds(cap)}; the policy cannot deny it (no IAM condition key), ` +
      "and a spot job may wait that long for capacity (the wait is not billed)",
    { numbers, fix: `Lower resources.max_wait to ${formatDuration(cap)} or less to keep every job within the stack's time.` },
  );
}
