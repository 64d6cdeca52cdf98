import { z } from "zod";
import type { RequestContext } from "../../../backend/request.js";
import { UserError } from "../../../errors.js";
import type { JobsPlan } from "../../../plan/types.js";
import type { StackOutputs } from "../../../stack/outputs.js";
import { type CampaignItems, campaignItems, ITEMS_HASH_LENGTH } from "./items.js";
import { campaignsLocation, itemsKey } from "./layout.js";
import { MAX_RETRIES, MAX_RETRIES_LIMIT } from "./policy.js";

/**
 * One campaign run by Step Functions: its items file, its execution name and its input. Pure, so
 * `launch --dry-run` prints what `launch` would write and start. Limits: docs/sources.md#stepfunctions.
 */

/** StartExecution.name: 1-80 characters, unique per state machine for 90 days. */
export const EXECUTION_NAME_MAX = 80;
/** StartExecution.input: at most 262,144 characters (256 KiB). */
export const EXECUTION_INPUT_MAX = 262_144;
/** A Distributed Map runs at most 10,000 children at once. */
export const DISTRIBUTED_CONCURRENCY_MAX = 10_000;

/** The execution input: everything per campaign the definition reads with a path. */
export const ExecutionInput = z.strictObject({
  /** For people reading the console; the definition does not read it. */
  campaign: z.string().min(1),
  /** The items file (ItemReader `$.items.bucket`, `$.items.key`) and how many items it holds. */
  items: z.strictObject({ bucket: z.string().min(3), key: z.string().min(1), count: z.number().int().min(1) }),
  /** MaxConcurrencyPath: training jobs in progress at once (0 would mean 10,000, so at least 1). */
  maxConcurrency: z.number().int().min(1).max(DISTRIBUTED_CONCURRENCY_MAX),
  /** ToleratedFailureCountPath: the campaign's max_failures; one more failed child fails the Map Run. */
  toleratedFailureCount: z.number().int().min(0),
  /** New attempts per point after capacity or internal errors (`-r1` ... `-r<maxRetries>`). */
  maxRetries: z.number().int().min(0).max(MAX_RETRIES_LIMIT),
});
export type ExecutionInput = z.infer<typeof ExecutionInput>;

/** Everything `launch --runner stepfunctions` writes and starts, and `--dry-run` prints. */
export interface ExecutionPlan {
  readonly items: CampaignItems;
  /** Where the items file goes (under campaignsUri). */
  readonly itemsLocation: { readonly bucket: string; readonly key: string };
  /** `<campaign>-<items hash>`: the same items give the same name, so a repeated launch finds its execution. */
  readonly name: string;
  readonly input: ExecutionInput;
  /** The input as StartExecution sends it. */
  readonly inputJson: string;
}

export interface ExecutionOptions {
  readonly plan: JobsPlan;
  /** Names of the SageMaker jobs that exist already (any attempt, any status). */
  readonly existingJobNames: Iterable<string>;
  readonly stack: StackOutputs;
  readonly context?: RequestContext;
  /** Default: the plan's max_concurrency. */
  readonly maxConcurrency?: number;
  /** Default: MAX_RETRIES, as the local launcher. */
  readonly maxRetries?: number;
}

/**
 * How many times the same items may be started again after their execution ended with none of
 * their jobs created (a start that failed at once, say on a missing permission): the k-th restart
 * is named `<campaign>-<hash>-<k>`, since a name stays taken for 90 days (docs/sources.md#stepfunctions).
 */
export const MAX_RESTARTS = 99;

/**
 * The execution name of a campaign's items (restart 0: `<campaign>-<hash>`, then `-1` ...
 * `-99`). Campaign names are at most 44 characters, so it fits in 80 (docs/sources.md#stepfunctions).
 */
export function executionName(campaign: string, itemsHash: string, restart = 0): string {
  const name = restart === 0 ? `${campaign}-${itemsHash}` : `${campaign}-${itemsHash}-${restart}`;
  if (name.length > EXECUTION_NAME_MAX) throw new UserError(`execution name ${name} is over ${EXECUTION_NAME_MAX} characters`);
  return name;
}

/** Whether an execution name is one of `campaign`'s (`<campaign>-<items hash>[-<restart>]`, not a longer campaign's). */
export function isCampaignExecution(campaign: string, name: string): boolean {
  if (!name.startsWith(`${campaign}-`)) return false;
  return new RegExp(`^[0-9a-f]{${ITEMS_HASH_LENGTH}}(-[1-9][0-9]?)?$`).test(name.slice(campaign.length + 1));
}

/**
 * Plans the execution; null when every planned training has a job already (nothing to start).
 * Throws a UserError when a limit of Step Functions would be broken.
 */
export function planExecution(options: ExecutionOptions): ExecutionPlan | null {
  const { plan, stack } = options;
  const items = campaignItems(plan, options.existingJobNames, stack, options.context);
  if (items.items.length === 0) return null;
  const location = campaignsLocation(stack.campaignsUri);
  const itemsLocation = { bucket: location.bucket, key: itemsKey(location, plan.campaign, items.hash) };
  const parsed = ExecutionInput.safeParse({
    campaign: plan.campaign,
    items: { ...itemsLocation, count: items.items.length },
    maxConcurrency: options.maxConcurrency ?? plan.limits.maxConcurrency,
    toleratedFailureCount: plan.limits.maxFailures,
    maxRetries: options.maxRetries ?? MAX_RETRIES,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${plan.sweepFile}: Step Functions execution input: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const inputJson = JSON.stringify(parsed.data);
  if (inputJson.length > EXECUTION_INPUT_MAX) {
    throw new UserError(
      `${plan.sweepFile}: the execution input is ${inputJson.length} characters, over Step Functions' ${EXECUTION_INPUT_MAX}`,
    );
  }
  return { items, itemsLocation, name: executionName(plan.campaign, items.hash), input: parsed.data, inputJson };
}
