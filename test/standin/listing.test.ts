import {
  AddTagsCommand,
  CreateTrainingJobCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  type ListTrainingJobsRequest,
  type SageMakerClient,
  SearchCommand,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { HOUR, manualClock, rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

/** Every page of a listing: the names per page. */
async function pages(client: SageMakerClient, input: ListTrainingJobsRequest): Promise<string[][]> {
  const out: string[][] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListTrainingJobsCommand({ ...input, ...(token !== undefined ? { NextToken: token } : {}) }));
    out.push((page.TrainingJobSummaries ?? []).map((s) => s.TrainingJobName ?? ""));
    token = page.NextToken;
  } while (token !== undefined);
  return out;
}

/** Creates `count` jobs one second apart: `<prefix>-00`, `<prefix>-01`, ... */
async function createMany(client: SageMakerClient, clock: { advance(ms: number): void }, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client.send(new CreateTrainingJobCommand(trainingRequest(`${prefix}-${String(i).padStart(2, "0")}`)));
    clock.advance(1000);
  }
}

describe("ListTrainingJobs", () => {
  it("pages by creation time, 10 by default, following NextToken", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 7200 }));
    await createMany(client, clock, "page", 25);
    const listed = await pages(client, {});
    expect(listed.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(listed.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, "0")}`));
  });

  it("filters with NameContains and sorts by name, descending", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 7200 }));
    await createMany(client, clock, "alpha", 3);
    await createMany(client, clock, "beta", 3);
    const listed = await pages(client, { NameContains: "beta", SortBy: "Name", SortOrder: "Descending", MaxResults: 2 });
    expect(listed).toEqual([["beta-02", "beta-01"], ["beta-00"]]);
  });

  it("narrows by creation time and reports each job's status", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: (request) => (request.TrainingJobName === "win-00" ? 1 : 7200) }));
    await createMany(client, clock, "win", 4);
    const page = await client.send(
      new ListTrainingJobsCommand({ CreationTimeAfter: new Date(Date.UTC(2030, 0, 1) + 1500), MaxResults: 100 }),
    );
    expect(page.TrainingJobSummaries?.map((s) => s.TrainingJobName)).toEqual(["win-02", "win-03"]);
    const all = await client.send(new ListTrainingJobsCommand({ MaxResults: 100 }));
    expect(all.TrainingJobSummaries?.map((s) => [s.TrainingJobStatus, s.TrainingEndTime !== undefined])).toEqual([
      ["Completed", true],
      ["InProgress", false],
      ["InProgress", false],
      ["InProgress", false],
    ]);
  });

  it("applies StatusEquals after taking MaxResults jobs, as SageMaker does, so pages can be short", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 7200 }));
    await createMany(client, clock, "mix", 6);
    for (const name of ["mix-00", "mix-01", "mix-02", "mix-05"]) await client.send(new StopTrainingJobCommand({ TrainingJobName: name }));
    clock.advance(120_000);
    const listed = await pages(client, { StatusEquals: "InProgress", MaxResults: 3 });
    expect(listed).toEqual([[], ["mix-03", "mix-04"]]);
  });

  it("does not repeat or skip jobs created while paging", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 7200 }));
    await createMany(client, clock, "live", 5);
    const first = await client.send(new ListTrainingJobsCommand({ MaxResults: 3, SortOrder: "Descending" }));
    await createMany(client, clock, "late", 2);
    const second = await client.send(new ListTrainingJobsCommand({ MaxResults: 3, SortOrder: "Descending", NextToken: first.NextToken }));
    expect(first.TrainingJobSummaries?.map((s) => s.TrainingJobName)).toEqual(["live-04", "live-03", "live-02"]);
    expect(second.TrainingJobSummaries?.map((s) => s.TrainingJobName)).toEqual(["live-01", "live-00"]);
  });

  it("refuses a token from another sort order", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock }));
    await createMany(client, clock, "tok", 3);
    const first = await client.send(new ListTrainingJobsCommand({ MaxResults: 1 }));
    const error = await rejection(client.send(new ListTrainingJobsCommand({ MaxResults: 1, SortBy: "Name", NextToken: first.NextToken })));
    expect(error.name).toBe("ValidationException");
  });
});

describe("tags and Search", () => {
  it("finds a campaign's jobs by tag, and its completed ones by metric", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 600 }));
    const campaign = (value: string) => [{ Key: "segsweep:campaign", Value: value }];
    await client.send(
      new CreateTrainingJobCommand(
        trainingRequest("s-good", { Tags: campaign("lr"), HyperParameters: { num_classes: "21", learning_rate: "0.01" } }),
      ),
    );
    await client.send(
      new CreateTrainingJobCommand(
        trainingRequest("s-bad", { Tags: campaign("lr"), HyperParameters: { num_classes: "21", learning_rate: "0.5" } }),
      ),
    );
    await client.send(new CreateTrainingJobCommand(trainingRequest("s-other", { Tags: campaign("other") })));
    clock.advance(HOUR);
    const byTag = await client.send(
      new SearchCommand({
        Resource: "TrainingJob",
        SearchExpression: { Filters: [{ Name: "Tags.segsweep:campaign", Operator: "Equals", Value: "lr" }] },
        SortBy: "Metrics.validation:mIOU",
      }),
    );
    expect(byTag.Results?.map((r) => r.TrainingJob?.TrainingJobName)).toEqual(["s-good", "s-bad"]);
    expect(byTag.Results?.[0]?.TrainingJob?.Tags).toEqual(campaign("lr"));
    const good = await client.send(
      new SearchCommand({
        Resource: "TrainingJob",
        SearchExpression: { Filters: [{ Name: "Metrics.validation:mIOU", Operator: "GreaterThan", Value: "0.5" }] },
      }),
    );
    expect(good.Results?.map((r) => r.TrainingJob?.TrainingJobName)).toEqual(expect.arrayContaining(["s-good", "s-other"]));
    expect(good.Results?.map((r) => r.TrainingJob?.TrainingJobName)).not.toContain("s-bad");
  });

  it("adds and lists tags by ARN", async () => {
    const client = sageMakerClient(await standin({ clock: manualClock() }));
    const { TrainingJobArn } = await client.send(new CreateTrainingJobCommand(trainingRequest("tagged")));
    await client.send(new AddTagsCommand({ ResourceArn: TrainingJobArn, Tags: [{ Key: "owner", Value: "ml-team" }] }));
    const listed = await client.send(new ListTagsCommand({ ResourceArn: TrainingJobArn }));
    expect(listed.Tags).toEqual([
      { Key: "segsweep:campaign", Value: "demo" },
      { Key: "owner", Value: "ml-team" },
    ]);
  });
});
