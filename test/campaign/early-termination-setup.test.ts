import { describe, expect, it } from "vitest";
import { buildCreateTrainingJobRequest } from "../../src/backend/request.js";
import { campaignJobsLister } from "../../src/campaign/early-termination-setup.js";
import { InMemorySageMaker } from "../../src/standin/in-memory.js";
import { createFakeClock } from "../kit/clock.js";
import { stackIn } from "../kit/stack.js";
import { makePlan } from "./fixtures.js";

const MINUTE = 60_000;
const STACK = stackIn("us-east-1", "811284229777.dkr.ecr.us-east-1.amazonaws.com/semantic-segmentation:1");

describe("the observer's view of the campaign's jobs", () => {
  it("lists the whole campaign once, then only what changed (one call, not one per 100 jobs), and in full every 30 minutes", async () => {
    const clock = createFakeClock();
    const plan = makePlan({ jobs: 350 });
    const long = new Set(plan.jobs.slice(300).map((job) => job.name));
    // The in-memory SageMaker: Starting for a quarter of the duration, then Training, then Completed.
    const durationMs = (name: string) => ([...long].some((planned) => name.startsWith(planned)) ? 70 : 10) * MINUTE;
    const sageMaker = new InMemorySageMaker({ clock, durationMs });
    for (const job of plan.jobs.slice(0, 349)) await sageMaker.createJob(buildCreateTrainingJobRequest(plan, job, 0, STACK));
    const list = campaignJobsLister(sageMaker, plan.campaign, clock);
    const listings = () => sageMaker.calls.ListTrainingJobs ?? 0;
    const start = clock.now();
    const at = (minutes: number) => clock.advance(start + minutes * MINUTE - clock.now());

    at(20);
    const first = await list();
    expect(first).toHaveLength(349);
    expect(first.filter((job) => job.endedAt !== undefined)).toHaveLength(300);
    expect(listings()).toBe(4); // the whole campaign: 349 jobs, four pages

    at(21);
    const last = plan.jobs[349];
    if (last === undefined) throw new Error("fixture");
    await sageMaker.createJob(buildCreateTrainingJobRequest(plan, last, 0, STACK));
    expect(await list()).toHaveLength(350);
    expect(listings()).toBe(5); // what changed since 17.5 min less the overlap: 49 running and the new one

    at(45);
    expect(await list()).toHaveLength(350);
    expect(listings()).toBe(6);

    at(51);
    expect(await list()).toHaveLength(350);
    expect(listings()).toBe(10); // 30 minutes after the last full listing: a full one again

    at(71); // the 49 long jobs ended at 70 min
    const ended = await list();
    expect(ended.filter((job) => job.endedAt !== undefined)).toHaveLength(349);
    expect(listings()).toBe(11); // their ends arrive through one incremental call
  });
});
