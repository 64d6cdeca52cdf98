import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateTrainingJobCommand, DescribeTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { learningCurve } from "../../src/standin/index.js";
import { filterPatternMatcher } from "../../src/standin/logs.js";
import { logsClient, manualClock, rejection, sageMakerClient, standin, trainingRequest } from "./helpers.js";

const START = Date.UTC(2030, 0, 1);
const GROUP = "/aws/sagemaker/TrainingJobs";
const hp = (learningRate: string) => ({ num_classes: "21", num_training_samples: "1464", learning_rate: learningRate, epochs: "5" });

async function twoJobs() {
  const clock = manualClock(START);
  const target = await standin({ clock, duration: () => 1000 });
  const sagemaker = sageMakerClient(target);
  await sagemaker.send(new CreateTrainingJobCommand(trainingRequest("camp-a", { HyperParameters: hp("0.01") })));
  await sagemaker.send(new CreateTrainingJobCommand(trainingRequest("camp-b", { HyperParameters: hp("0.001") })));
  return { clock, target, sagemaker, logs: logsClient(target) };
}

describe("CloudWatch Logs over training jobs", () => {
  it("has no log group until a container runs, then one stream per job named <job>/algo-1-<seconds>", async () => {
    const { clock, logs } = await twoJobs();
    const missing = await rejection(logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP })));
    expect([missing.name, missing.message]).toEqual(["ResourceNotFoundException", "The specified log group does not exist."]);
    clock.advance(61_000); // Starting takes 6% of 1000 s
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: "camp-b/" }));
    expect(logStreams?.map((s) => s.logStreamName)).toEqual([`camp-b/algo-1-${(START + 60_000) / 1000}`]);
    const refused = await rejection(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: "camp", orderBy: "LastEventTime" })),
    );
    expect(refused.name).toBe("InvalidParameterException");
  });

  it("writes metric lines that the job's MetricDefinitions parse into its learning curve", async () => {
    const { clock, sagemaker, logs } = await twoJobs();
    clock.advance(1_000_000);
    const described = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: "camp-a" }));
    const definitions = described.AlgorithmSpecification?.MetricDefinitions ?? [];
    expect(definitions.map((d) => d.Name)).toEqual(["train:loss", "validation:mIOU", "validation:pixel_accuracy"]);
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: "camp-", filterPattern: '"#quality_metric"' }),
    );
    expect(events).toHaveLength(2 * 5 * 3);
    const timestamps = (events ?? []).map((e) => e.timestamp ?? 0);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    for (const job of ["camp-a", "camp-b"] as const) {
      const lines = (events ?? []).filter((e) => e.logStreamName?.startsWith(`${job}/`)).map((e) => e.message ?? "");
      const parsed = (name: string) => {
        const regex = new RegExp(definitions.find((d) => d.Name === name)?.Regex ?? "$^");
        return lines.flatMap((line) => regex.exec(line)?.[1] ?? []).map(Number);
      };
      const curve = learningCurve(hp(job === "camp-a" ? "0.01" : "0.001")).epochs;
      expect(parsed("validation:mIOU")).toEqual(curve.map((p) => p.mIOU));
      expect(parsed("validation:pixel_accuracy")).toEqual(curve.map((p) => p.pixelAccuracy));
      expect(parsed("train:loss")).toEqual(curve.map((p) => p.trainLoss));
    }
  });

  it("reads one stream from the head or the tail, with tokens that page both ways", async () => {
    const { clock, logs } = await twoJobs();
    clock.advance(1_000_000);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: "camp-a/" }));
    const logStreamName = logStreams?.[0]?.logStreamName ?? "";
    const all = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, startFromHead: true }));
    expect(all.events).toHaveLength(2 + 15);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, startFromHead: true, limit: 10 }));
    const rest = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, nextToken: head.nextForwardToken }));
    expect([...(head.events ?? []), ...(rest.events ?? [])]).toEqual(all.events);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName, limit: 3 }));
    expect(tail.events).toEqual(all.events?.slice(-3));
    const missing = await rejection(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: "camp-z/algo-1-1" })));
    expect(missing.message).toBe("The specified log stream does not exist.");
  });

  it("filters by stream names, time and pattern, and pages by limit", async () => {
    const { clock, logs } = await twoJobs();
    clock.advance(1_000_000);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    const names = logStreams?.map((s) => s.logStreamName ?? "") ?? [];
    const first = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: [names[0] ?? ""], filterPattern: "validation mIOU", limit: 3 }),
    );
    expect(first.events).toHaveLength(3);
    const second = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        logStreamNames: [names[0] ?? ""],
        filterPattern: "validation mIOU",
        nextToken: first.nextToken,
      }),
    );
    expect(second.events).toHaveLength(2);
    expect(second.nextToken).toBeUndefined();
    const both = await rejection(
      logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: names, logStreamNamePrefix: "camp" })),
    );
    expect(both.name).toBe("InvalidParameterException");
  });

  it("matches filter patterns the way CloudWatch Logs' term syntax does", () => {
    const line = "#quality_metric: host=algo-1, epoch=2, validation mIOU <score>=0.4";
    expect(filterPatternMatcher("")(line)).toBe(true);
    expect(filterPatternMatcher("validation mIOU")(line)).toBe(true);
    expect(filterPatternMatcher('"mIOU <score>"')(line)).toBe(true);
    expect(filterPatternMatcher("validation -mIOU")(line)).toBe(false);
    expect(filterPatternMatcher("?loss ?mIOU")(line)).toBe(true);
    expect(filterPatternMatcher("?loss ?accuracy")(line)).toBe(false);
    expect(() => filterPatternMatcher("{ $.level = 1 }")).toThrow(/term filter patterns only/);
  });
});
