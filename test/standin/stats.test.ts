import { CreateTrainingJobCommand, StopTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { simulatedMetrics } from "../../src/standin/index.js";
import { maxInProgress } from "../../src/standin/stats.js";
import { manualClock, sageMakerClient, standin, trainingRequest } from "./helpers.js";

describe("stats", () => {
  it("records the most jobs in progress at once, from intervals nobody observed", async () => {
    const clock = manualClock();
    const target = await standin({ clock, duration: () => 100 });
    const client = sageMakerClient(target);
    await client.send(new CreateTrainingJobCommand(trainingRequest("iv-a")));
    clock.advance(99_000);
    await client.send(new CreateTrainingJobCommand(trainingRequest("iv-b")));
    clock.advance(100_000);
    // iv-a ended at 100 s, iv-b at 199 s: a job created exactly at an end does not overlap it.
    await client.send(new CreateTrainingJobCommand(trainingRequest("iv-c")));
    clock.advance(1000_000);
    const stats = target.stats();
    expect(stats.maxInProgress).toBe(2);
    expect(stats.jobs).toEqual([
      {
        name: "iv-a",
        createdAt: Date.UTC(2030, 0, 1),
        endedAt: Date.UTC(2030, 0, 1) + 100_000,
        status: "Completed",
        instanceCount: 1,
        sageMakerSeconds: 100,
      },
      {
        name: "iv-b",
        createdAt: Date.UTC(2030, 0, 1) + 99_000,
        endedAt: Date.UTC(2030, 0, 1) + 199_000,
        status: "Completed",
        instanceCount: 1,
        sageMakerSeconds: 100,
      },
      {
        name: "iv-c",
        createdAt: Date.UTC(2030, 0, 1) + 199_000,
        endedAt: Date.UTC(2030, 0, 1) + 299_000,
        status: "Completed",
        instanceCount: 1,
        sageMakerSeconds: 100,
      },
    ]);
  });

  it("counts a Stopping job as in progress and reports running jobs without an end", async () => {
    const clock = manualClock();
    const target = await standin({ clock, duration: () => 7200, timeScale: 10 });
    const client = sageMakerClient(target);
    await client.send(new CreateTrainingJobCommand(trainingRequest("st-a")));
    await client.send(new StopTrainingJobCommand({ TrainingJobName: "st-a" }));
    clock.advance(5000);
    await client.send(new CreateTrainingJobCommand(trainingRequest("st-b")));
    clock.advance(1000);
    const stats = target.stats();
    // st-a stops 60 SageMaker seconds (6 s at timeScale 10) after creation, after st-b started.
    expect(stats.maxInProgress).toBe(2);
    expect(stats.jobs.map((j) => [j.name, j.status, j.endedAt !== undefined, j.sageMakerSeconds])).toEqual([
      ["st-a", "Stopped", true, 60],
      ["st-b", "InProgress", false, 10],
    ]);
    expect(stats.calls).toEqual({ CreateTrainingJob: 2, StopTrainingJob: 1 });
  });

  it("finds the peak of overlapping intervals, ends before starts at equal times", () => {
    expect(maxInProgress([])).toBe(0);
    expect(
      maxInProgress([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
    ).toBe(1);
    expect(
      maxInProgress([
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 6, end: 7 },
        { start: 7, end: 8 },
      ]),
    ).toBe(3);
    expect(
      maxInProgress([
        { start: 0, end: Number.POSITIVE_INFINITY },
        { start: 100, end: Number.POSITIVE_INFINITY },
      ]),
    ).toBe(2);
  });
});

describe("simulated metrics", () => {
  const base = { num_classes: "21", optimizer: "sgd", epochs: "10" };

  it("prefers a learning rate near the optimizer's sweet spot, smoothly", () => {
    const score = (learningRate: string) => simulatedMetrics({ ...base, learning_rate: learningRate }).mIOU;
    expect(score("0.01")).toBeGreaterThan(score("0.001"));
    expect(score("0.001")).toBeGreaterThan(score("0.0001"));
    expect(score("0.01")).toBeGreaterThan(score("0.1"));
    expect(simulatedMetrics({ ...base, optimizer: "adam", learning_rate: "0.0005" }).mIOU).toBeGreaterThan(
      simulatedMetrics({ ...base, optimizer: "adam", learning_rate: "0.05" }).mIOU,
    );
  });

  it("depends on the hyperparameters only, not their order, and stays within [0, 1]", () => {
    const a = simulatedMetrics({ learning_rate: "0.02", backbone: "resnet-101", algorithm: "deeplab" });
    const b = simulatedMetrics({ algorithm: "deeplab", backbone: "resnet-101", learning_rate: "0.02" });
    expect(a).toEqual(b);
    for (const lr of ["1e-6", "0.5", "1", "not-a-number"]) {
      const { mIOU, pixelAccuracy } = simulatedMetrics({ ...base, learning_rate: lr });
      expect(mIOU).toBeGreaterThan(0);
      expect(mIOU).toBeLessThan(1);
      expect(pixelAccuracy).toBeGreaterThan(mIOU);
      expect(pixelAccuracy).toBeLessThan(1);
    }
  });
});
