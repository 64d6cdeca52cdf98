import { CreateTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/backend/clock.js";
import { createCloudWatchMetricSource, curveFromSeries } from "../../src/backend/cloudwatch-metrics.js";
import { BackendError } from "../../src/backend/types.js";
import { learningCurve } from "../../src/standin/index.js";
import { cloudWatchClient, manualClock, sageMakerClient, standin, trainingRequest } from "../standin/helpers.js";

const START = Date.UTC(2030, 0, 1);
const MIN = 60_000;
const OBJECTIVE = "validation:mIOU";

describe("curveFromSeries", () => {
  const cases: { name: string; average: [number, number][]; count: [number, number][]; epochs: [number, number, boolean][] }[] = [
    { name: "nothing reported", average: [], count: [], epochs: [] },
    {
      name: "one datapoint a minute: one epoch each",
      average: [
        [0, 0.3],
        [2 * MIN, 0.5],
      ],
      count: [
        [0, 1],
        [2 * MIN, 1],
      ],
      epochs: [
        [1, 0.3, true],
        [2, 0.5, true],
      ],
    },
    {
      name: "two epochs in one minute: both get the average, inexact, and numbering goes on",
      average: [
        [0, 0.3],
        [MIN, 0.45],
        [2 * MIN, 0.6],
      ],
      count: [
        [0, 1],
        [MIN, 2],
        [2 * MIN, 1],
      ],
      epochs: [
        [1, 0.3, true],
        [2, 0.45, false],
        [3, 0.45, false],
        [4, 0.6, true],
      ],
    },
    { name: "a missing count counts one", average: [[0, 0.3]], count: [], epochs: [[1, 0.3, true]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const curve = curveFromSeries("j", OBJECTIVE, { average: c.average, count: c.count, others: {} });
      expect(curve.epochs.map((e) => [e.epoch, e.values[OBJECTIVE], e.exact])).toEqual(c.epochs);
    });
  }

  it("takes another metric's latest value since the previous epoch, and none when it has none", () => {
    const curve = curveFromSeries("j", OBJECTIVE, {
      average: [
        [MIN, 0.3],
        [3 * MIN, 0.5],
        [5 * MIN, 0.6],
      ],
      count: [],
      others: {
        "train:loss": [
          [0, 1.4],
          [MIN, 1.2],
          [3 * MIN, 0.9],
        ],
      },
    });
    expect(curve.epochs.map((e) => e.values["train:loss"])).toEqual([1.2, 0.9, undefined]);
  });
});

/** A stand-in with `count` 10-epoch jobs of 10,000 s, created a second apart; the clock after `seconds`. */
async function jobs(count: number, options: { throttle?: number } = {}) {
  const clock = manualClock(START);
  const target = await standin({
    clock,
    duration: () => 10_000,
    ...(options.throttle !== undefined ? { throttleRate: { GetMetricData: options.throttle } } : {}),
  });
  const sagemaker = sageMakerClient(target);
  const created: { name: string; from: number; hp: Record<string, string> }[] = [];
  for (let i = 0; i < count; i++) {
    const hp = { num_classes: "21", num_training_samples: "1464", learning_rate: String(0.001 * (i + 1)), epochs: "10" };
    const name = `cw-${String(i).padStart(3, "0")}`;
    await sagemaker.send(new CreateTrainingJobCommand(trainingRequest(name, { HyperParameters: hp })));
    created.push({ name, from: clock.now(), hp });
    clock.advance(1000);
  }
  const sleeps: number[] = [];
  const fakeClock: Clock = { now: clock.now, sleep: async (ms) => void sleeps.push(ms) };
  return { clock, target, created, sleeps, fakeClock };
}

describe("the CloudWatch metric source, against the stand-in", () => {
  it("reads 130 jobs' curves in two GetMetricData calls (125 jobs a call) and numbers their epochs", async () => {
    const { clock, target, created, fakeClock } = await jobs(130);
    clock.advance(6000 * 1000); // 0.6 of the run: epochs end at 0.09 + 0.088·e, so 5 have ended
    const source = createCloudWatchMetricSource({
      region: "us-east-1",
      client: cloudWatchClient(target),
      objective: OBJECTIVE,
      clock: fakeClock,
    });
    const curves = await source.curves(
      created.map(({ name, from }) => ({ name, from })),
      clock.now(),
    );
    expect(source.calls).toEqual({ GetMetricData: 2 });
    expect(target.stats().calls.GetMetricData).toBe(2);
    for (const { name, hp } of created) {
      const expected = learningCurve(hp).epochs.slice(0, 5);
      const curve = curves.get(name);
      expect(curve?.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
      expect(curve?.epochs.map((e) => e.values)).toEqual(
        expected.map((p) => ({ "validation:mIOU": p.mIOU, "validation:pixel_accuracy": p.pixelAccuracy, "train:loss": p.trainLoss })),
      );
      expect(curve?.epochs.every((e) => e.exact)).toBe(true);
    }
  });

  it("reads only what was reported before `until`, follows NextToken, and judges on pixel accuracy when asked", async () => {
    const { clock, target, created, fakeClock } = await jobs(3);
    clock.advance(10_000 * 1000);
    const source = createCloudWatchMetricSource({
      region: "us-east-1",
      client: cloudWatchClient(target),
      objective: "validation:pixel_accuracy",
      clock: fakeClock,
      maxDatapointsPerPage: 10,
    });
    const firstJob = created[0];
    if (firstJob === undefined) throw new Error("no job");
    const until = Math.floor((START + 10_000 * (0.09 + 0.088 * 3) * 1000) / MIN) * MIN + MIN;
    const early = await source.curves([{ name: firstJob.name, from: firstJob.from }], until);
    expect(early.get(firstJob.name)?.epochs).toHaveLength(3);
    const all = await source.curves(created, clock.now());
    expect(source.calls.GetMetricData).toBeGreaterThan(2);
    expect(all.get(firstJob.name)?.epochs.map((e) => e.values["validation:pixel_accuracy"])).toEqual(
      learningCurve(firstJob.hp).epochs.map((p) => p.pixelAccuracy),
    );
  });

  it("retries throttled calls on its clock and counts every attempt; gives up with a BackendError", async () => {
    const { clock, target, created, sleeps, fakeClock } = await jobs(2, { throttle: 0.5 });
    clock.advance(3_600_000);
    const source = createCloudWatchMetricSource({
      region: "us-east-1",
      client: cloudWatchClient(target),
      objective: OBJECTIVE,
      clock: fakeClock,
      random: () => 0.5,
    });
    for (let i = 0; i < 6; i++) await source.curves(created, clock.now());
    expect(source.calls.GetMetricData).toBe(target.stats().calls.GetMetricData);
    expect(sleeps.length).toBe(target.stats().throttled);
    expect(sleeps.length).toBeGreaterThan(0);
    const hopeless = await standin({ clock, throttleRate: { GetMetricData: 1 } });
    const failing = createCloudWatchMetricSource({
      region: "us-east-1",
      client: cloudWatchClient(hopeless),
      objective: OBJECTIVE,
      clock: fakeClock,
      maxAttempts: 3,
    });
    const error = await failing.curves(created, clock.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).kind).toBe("throttled");
    expect(failing.calls.GetMetricData).toBe(3);
  });

  it("makes no call for jobs created after `until`", async () => {
    const { target, fakeClock } = await jobs(0);
    const source = createCloudWatchMetricSource({
      region: "us-east-1",
      client: cloudWatchClient(target),
      objective: OBJECTIVE,
      clock: fakeClock,
    });
    const curves = await source.curves([{ name: "later", from: START + 10 * MIN }], START);
    expect(curves.get("later")?.epochs).toEqual([]);
    expect(source.calls).toEqual({});
  });
});
