import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../../../src/backend/request.js";
import {
  EXECUTION_INPUT_MAX,
  EXECUTION_NAME_MAX,
  ExecutionInput,
  executionName,
  isCampaignExecution,
  MAX_RESTARTS,
  planExecution,
} from "../../../../src/campaign/engines/stepfunctions/execution.js";
import { campaignItems } from "../../../../src/campaign/engines/stepfunctions/items.js";
import { UserError } from "../../../../src/errors.js";
import { CAMPAIGN_NAME_MAX } from "../../../../src/sweep/definition.js";
import { makePlan, STACK } from "./fixtures.js";

/** Step Functions' limit on a child execution's input, which each item becomes (docs/sources.md#stepfunctions). */
const CHILD_INPUT_MAX = 262_144;

describe("a campaign's items", () => {
  const plan = makePlan({ jobs: 5 });
  const [a, b, c, d, e] = plan.jobs;

  it("are the first attempt's CreateTrainingJob request of every planned job, in plan order", () => {
    const { items, body, alreadyLaunched } = campaignItems(plan, [], STACK, { gitCommit: "abc" });
    expect(items).toEqual(plan.jobs.map((job) => buildCreateTrainingJobRequest(plan, job, 0, STACK, { gitCommit: "abc" })));
    expect(JSON.parse(body)).toEqual(items);
    expect(alreadyLaunched).toEqual([]);
  });

  it("leave out the points SageMaker has a job of, whatever attempt or status", () => {
    const existing = [a!.name, `${c!.name}-r1`, "other-campaign-0123456789ab"];
    const { items, alreadyLaunched } = campaignItems(plan, new Set(existing), STACK);
    expect(items.map((item) => item.TrainingJobName)).toEqual([b!.name, d!.name, e!.name]);
    expect(alreadyLaunched).toEqual([a!.name, c!.name]);
  });

  it("hash the same set the same way and a different set differently", () => {
    const first = campaignItems(plan, [a!.name], STACK);
    expect(campaignItems(plan, [a!.name], STACK).hash).toBe(first.hash);
    expect(campaignItems(plan, [b!.name], STACK).hash).not.toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("the execution of a campaign", () => {
  it("is named after the campaign and its items, and reads its items under campaignsUri", () => {
    const plan = makePlan({ jobs: 3, maxConcurrency: 6, maxFailures: 2 });
    const execution = planExecution({ plan, existingJobNames: [], stack: STACK });
    const hash = campaignItems(plan, [], STACK).hash;
    expect(execution?.name).toBe(`seg-sfn-${hash}`);
    expect(execution?.itemsLocation).toEqual({ bucket: STACK.bucketName, key: `campaigns/seg-sfn/items/${hash}.json` });
    expect(execution?.input).toEqual({
      campaign: "seg-sfn",
      items: { bucket: STACK.bucketName, key: `campaigns/seg-sfn/items/${hash}.json`, count: 3 },
      maxConcurrency: 6,
      toleratedFailureCount: 2,
      maxRetries: 2,
    });
    expect(ExecutionInput.parse(JSON.parse(execution?.inputJson ?? ""))).toEqual(execution?.input);
  });

  it("is the same execution when launched again with the same jobs in place, and another once some exist", () => {
    const plan = makePlan({ jobs: 3 });
    const again = planExecution({ plan, existingJobNames: [], stack: STACK });
    expect(planExecution({ plan, existingJobNames: [], stack: STACK })?.name).toBe(again?.name);
    const later = planExecution({ plan, existingJobNames: [plan.jobs[0]!.name], stack: STACK });
    expect(later?.name).not.toBe(again?.name);
    expect(later?.input.items.count).toBe(2);
  });

  it("is nothing to start when every point has a job", () => {
    const plan = makePlan({ jobs: 2 });
    expect(planExecution({ plan, existingJobNames: plan.jobs.map((job) => job.name), stack: STACK })).toBeNull();
  });

  it("fits StartExecution's 80-character name with the longest campaign name", () => {
    const campaign = "c".repeat(CAMPAIGN_NAME_MAX);
    const execution = planExecution({ plan: makePlan({ jobs: 1, campaign }), existingJobNames: [], stack: STACK });
    expect(execution?.name.length).toBeLessThanOrEqual(EXECUTION_NAME_MAX);
    expect(isCampaignExecution(campaign, execution?.name ?? "")).toBe(true);
  });

  it("recognises its own executions and not a longer campaign's", () => {
    expect(isCampaignExecution("seg", "seg-0123456789abcdef")).toBe(true);
    expect(isCampaignExecution("seg", "seg-test-0123456789abcdef")).toBe(false);
    expect(isCampaignExecution("seg", "seg-0123456789ABCDEF")).toBe(false);
    expect(isCampaignExecution("seg", "seg-0123")).toBe(false);
  });

  it("names restarts of the same items -1 to -99, still the campaign's and within 80 characters", () => {
    const campaign = "c".repeat(CAMPAIGN_NAME_MAX);
    expect(executionName("seg", "0123456789abcdef", 1)).toBe("seg-0123456789abcdef-1");
    expect(isCampaignExecution("seg", "seg-0123456789abcdef-1")).toBe(true);
    expect(isCampaignExecution("seg", "seg-0123456789abcdef-99")).toBe(true);
    expect(isCampaignExecution("seg", "seg-0123456789abcdef-0")).toBe(false);
    expect(isCampaignExecution("seg", "seg-0123456789abcdef-100")).toBe(false);
    expect(executionName(campaign, "0123456789abcdef", MAX_RESTARTS).length).toBeLessThanOrEqual(EXECUTION_NAME_MAX);
  });

  it("refuses a concurrency Step Functions would read as unbounded or beyond 10,000", () => {
    const plan = makePlan({ jobs: 1 });
    expect(() => planExecution({ plan, existingJobNames: [], stack: STACK, maxConcurrency: 0 })).toThrow(UserError);
    expect(() => planExecution({ plan, existingJobNames: [], stack: STACK, maxConcurrency: 10_001 })).toThrow(/maxConcurrency/);
  });
});

describe("10,000 items against Step Functions' limits", () => {
  it("go through S3 while the execution input stays tiny and each item fits a child's input", () => {
    const plan = makePlan({ jobs: 10_000, campaign: "c".repeat(CAMPAIGN_NAME_MAX) });
    const execution = planExecution({ plan, existingJobNames: [], stack: STACK, context: { gitCommit: `${"f".repeat(40)}-dirty` } });
    const items = execution?.items.items ?? [];
    const largestItem = Math.max(...items.map((item) => Buffer.byteLength(JSON.stringify(item))));
    const fileBytes = Buffer.byteLength(execution?.items.body ?? "");
    const inputChars = execution?.inputJson.length ?? Number.POSITIVE_INFINITY;
    console.log(
      `10,000 items: file ${(fileBytes / 1_048_576).toFixed(1)} MiB, largest item ${largestItem} B ` +
        `(${((100 * largestItem) / CHILD_INPUT_MAX).toFixed(2)}% of 256 KiB), execution input ${inputChars} characters ` +
        `(${((100 * inputChars) / EXECUTION_INPUT_MAX).toFixed(3)}% of 256 KiB)`,
    );
    expect(items).toHaveLength(10_000);
    expect(inputChars).toBeLessThan(EXECUTION_INPUT_MAX);
    expect(largestItem).toBeLessThan(CHILD_INPUT_MAX);
    // Inline in the input instead, the items would be far over the limit: S3 is not optional.
    expect(fileBytes).toBeGreaterThan(EXECUTION_INPUT_MAX);
  });

  it("fit a child's input even at the request's own limits (100 hyperparameters of 256 characters, 50 long tags)", () => {
    const plan = makePlan({ jobs: 1 });
    const request = buildCreateTrainingJobRequest(plan, plan.jobs[0]!, 0, STACK);
    const hyperparameters = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`.padEnd(256, "x"), "v".repeat(256)]));
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`.padEnd(128, "k"), Value: "v".repeat(256) }));
    const bytes = Buffer.byteLength(JSON.stringify({ ...request, HyperParameters: hyperparameters, Tags: tags }));
    console.log(`worst-case item: ${bytes} B (${((100 * bytes) / CHILD_INPUT_MAX).toFixed(1)}% of 256 KiB)`);
    expect(bytes).toBeLessThan(CHILD_INPUT_MAX);
  });
});
