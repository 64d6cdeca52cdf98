import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { CreateTrainingJobCommand, StopTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { learningCurve } from "../../src/standin/index.js";
import { cloudWatchClient, manualClock, rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

const START = Date.UTC(2030, 0, 1);
const hyperParameters = { num_classes: "21", num_training_samples: "1464", learning_rate: "0.01", optimizer: "sgd", epochs: "10" };
const curve = learningCurve(hyperParameters);

function query(id: string, job: string, metric = "validation:mIOU", stat = "Average", period = 60): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: "/aws/sagemaker/TrainingJobs", MetricName: metric, Dimensions: [{ Name: "TrainingJobName", Value: job }] },
      Period: period,
      Stat: stat,
    },
  };
}

async function metricData(client: CloudWatchClient, queries: MetricDataQuery[], end: number, extra: Record<string, unknown> = {}) {
  return client.send(
    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(START), EndTime: new Date(end), ...extra }),
  );
}

/** A stand-in with one 10-epoch job of `seconds` SageMaker seconds: Training from 9% to 97%, an epoch every 8.8%. */
async function oneJob(seconds: number, options: { metricDelaySeconds?: number } = {}) {
  const clock = manualClock(START);
  const target = await standin({ clock, duration: () => seconds, ...options });
  await sageMakerClient(target).send(new CreateTrainingJobCommand(trainingRequest("cw-job", { HyperParameters: hyperParameters })));
  const epochEnd = (epoch: number) => START + seconds * (0.09 + 0.088 * epoch) * 1000;
  return { clock, target, client: cloudWatchClient(target), epochEnd };
}

describe("GetMetricData over training jobs", () => {
  it("has one datapoint per finished epoch, at its minute, newest first, equal to the learning curve", async () => {
    const { clock, client, epochEnd } = await oneJob(10_000);
    clock.advance(epochEnd(3) + 1000 - START);
    const answer = await metricData(
      client,
      [query("miou", "cw-job"), query("count", "cw-job", "validation:mIOU", "SampleCount")],
      clock.now(),
    );
    const [miou, count] = answer.MetricDataResults ?? [];
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    expect(miou?.Timestamps?.map((t) => t.getTime())).toEqual([3, 2, 1].map((e) => minute(epochEnd(e))));
    expect(miou?.Values).toEqual([3, 2, 1].map((e) => curve.epochs[e - 1]?.mIOU));
    expect(miou?.StatusCode).toBe("Complete");
    expect(miou?.Label).toBe("validation:mIOU");
    expect(count?.Values).toEqual([1, 1, 1]);
    expect(answer.NextToken).toBeUndefined();
  });

  it("serves every metric of many jobs in one call, oldest first when asked", async () => {
    const { clock, client, target, epochEnd } = await oneJob(10_000);
    clock.advance(epochEnd(10) + 1000 - START);
    const answer = await metricData(
      client,
      [query("loss", "cw-job", "train:loss"), query("pixel", "cw-job", "validation:pixel_accuracy"), query("other", "no-such-job")],
      clock.now(),
      { ScanBy: "TimestampAscending" },
    );
    const [loss, pixel, other] = answer.MetricDataResults ?? [];
    expect(loss?.Values).toEqual(curve.epochs.map((p) => p.trainLoss));
    expect(pixel?.Values).toEqual(curve.epochs.map((p) => p.pixelAccuracy));
    expect(other).toMatchObject({ Id: "other", Values: [], Timestamps: [], StatusCode: "Complete" });
    expect(target.stats().calls.GetMetricData).toBe(1);
  });

  it("merges epochs shorter than a minute: SampleCount tells how many, Average is their mean", async () => {
    // 600 s with 10 epochs: an epoch every 52.8 s, so some minutes hold two.
    const { clock, client, epochEnd } = await oneJob(600);
    clock.advance(epochEnd(10) + 1000 - START);
    const answer = await metricData(client, [query("avg", "cw-job"), query("n", "cw-job", "validation:mIOU", "SampleCount")], clock.now(), {
      ScanBy: "TimestampAscending",
    });
    const [average, count] = answer.MetricDataResults ?? [];
    expect(count?.Values?.reduce((a, b) => a + b, 0)).toBe(10);
    expect(count?.Values?.some((n) => n > 1)).toBe(true);
    let epoch = 0;
    (count?.Values ?? []).forEach((n, index) => {
      const merged = curve.epochs.slice(epoch, epoch + n).map((p) => p.mIOU);
      expect(average?.Values?.[index]).toBeCloseTo(merged.reduce((a, b) => a + b, 0) / n, 9);
      epoch += n;
    });
  });

  it("shows only the epochs finished before a stop, and none before the delay has passed", async () => {
    const { clock, target, client, epochEnd } = await oneJob(10_000, { metricDelaySeconds: 120 });
    clock.advance(epochEnd(4) + 60_000 - START);
    expect((await metricData(client, [query("m", "cw-job")], clock.now())).MetricDataResults?.[0]?.Values).toHaveLength(3);
    await sageMakerClient(target).send(new StopTrainingJobCommand({ TrainingJobName: "cw-job" }));
    clock.advance(3_600_000);
    expect((await metricData(client, [query("m", "cw-job")], clock.now())).MetricDataResults?.[0]?.Values).toHaveLength(4);
  });

  it("pages by MaxDatapoints with NextToken, and the pages add up to the whole answer", async () => {
    const { clock, client, epochEnd } = await oneJob(10_000);
    clock.advance(epochEnd(10) + 1000 - START);
    const queries = [query("a", "cw-job"), query("b", "cw-job", "train:loss")];
    const whole = await metricData(client, queries, clock.now());
    const values: Record<string, number[]> = { a: [], b: [] };
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await metricData(client, queries, clock.now(), { MaxDatapoints: 7, ...(token ? { NextToken: token } : {}) });
      for (const result of page.MetricDataResults ?? []) values[result.Id ?? ""]?.push(...(result.Values ?? []));
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(values).toEqual({ a: whole.MetricDataResults?.[0]?.Values, b: whole.MetricDataResults?.[1]?.Values });
    const bad = await rejection(metricData(client, queries, clock.now(), { NextToken: "nonsense" }));
    expect(bad.name).toBe("InvalidNextToken");
  });

  it("refuses what CloudWatch refuses, with its error names", async () => {
    const { clock, client } = await oneJob(10_000);
    clock.advance(60_000);
    const tooMany = Array.from({ length: 501 }, (_, i) => query(`q${i}`, "cw-job"));
    const cases: [MetricDataQuery[], string, RegExp][] = [
      [tooMany, "InvalidParameterValueException", /between 1 and 500/],
      [[query("a", "cw-job"), query("a", "cw-job")], "InvalidParameterValueException", /not unique/],
      [[query("Upper", "cw-job")], "InvalidParameterValueException", /lowercase letter/],
      [[query("a", "cw-job", "validation:mIOU", "p90")], "InvalidParameterValueException", /Average/],
      [[query("a", "cw-job", "validation:mIOU", "Average", 30)], "InvalidParameterValueException", /multiple of 60/],
      [[{ Id: "e", Expression: "SUM(METRICS())" }], "InvalidParameterValueException", /MetricStat queries only/],
    ];
    for (const [queries, name, message] of cases) {
      const error = await rejection(metricData(client, queries, clock.now()));
      expect([error.name, error.message]).toEqual([name, expect.stringMatching(message)]);
    }
    const backwards = await rejection(metricData(client, [query("a", "cw-job")], START - 1));
    expect(backwards.message).toMatch(/StartTime must be less than the parameter EndTime/);
    const empty = { Id: "a", MetricStat: { Metric: { Dimensions: [{ Name: "", Value: "x" }] }, Period: 60, Stat: "Average" } };
    const invalid = await rejection(metricData(client, [empty], clock.now()));
    expect(invalid.message).toMatch(
      /^1 validation error detected: .*metricDataQueries\.1\.member\.metricStat\.metric\.dimensions\.1\.member\.name/,
    );
  });

  it("throttles as configured, and the SDK retries it as a throttle", async () => {
    const clock = manualClock(START);
    const target = await standin({ clock, throttleRate: { GetMetricData: 0.5 } });
    const once = cloudWatchClient(target, 1);
    const errors = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await metricData(once, [query("a", "x")], START + 60_000).catch((error: Error) => errors.add(error.name));
    }
    expect([...errors]).toEqual(["Throttling"]);
    const patient = cloudWatchClient(target, 10);
    const answers = await Promise.all(Array.from({ length: 8 }, () => metricData(patient, [query("a", "x")], START + 60_000)));
    expect(answers.some((answer) => (answer.$metadata.attempts ?? 1) > 1)).toBe(true);
  });
});
