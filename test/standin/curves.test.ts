import { CreateTrainingJobCommand, DescribeTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { algorithmStopEpoch, scheduleDecay } from "../../src/standin/curves.js";
import { learningCurve, simulatedMetrics, simulatedTrainingSeconds } from "../../src/standin/index.js";
import { manualClock, sageMakerClient, standin, trainingRequest } from "./helpers.js";

const base = { num_classes: "21", num_training_samples: "1464", optimizer: "sgd", epochs: "30" };

/** The 48-point study of the benchmark: learning rate × schedule × batch × backbone. */
function study(): Record<string, string>[] {
  const points: Record<string, string>[] = [];
  for (const learning_rate of ["0.0005", "0.001", "0.002", "0.005", "0.01", "0.02"])
    for (const lr_scheduler of ["poly", "cosine"])
      for (const mini_batch_size of ["8", "16"])
        for (const backbone of ["resnet-50", "resnet-101"])
          points.push({ ...base, learning_rate, lr_scheduler, mini_batch_size, backbone });
  return points;
}

function mIOUAt(hp: Record<string, string>, epoch: number): number {
  return learningCurve(hp).epochs[epoch - 1]?.mIOU ?? Number.NaN;
}

describe("learning curves", () => {
  it("rise and saturate: later epochs are better on average, and the last one is the final metric", () => {
    const hp = { ...base, learning_rate: "0.01" };
    const curve = learningCurve(hp);
    expect(curve.epochs).toHaveLength(30);
    expect(curve.epochs.map((p) => p.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(mIOUAt(hp, 10)).toBeGreaterThan(mIOUAt(hp, 1) + 0.2);
    expect(Math.abs(mIOUAt(hp, 30) - mIOUAt(hp, 25))).toBeLessThan(0.05);
    expect(simulatedMetrics(hp)).toEqual({ mIOU: curve.epochs[29]?.mIOU, pixelAccuracy: curve.epochs[29]?.pixelAccuracy });
    for (const point of curve.epochs) {
      expect(point.pixelAccuracy).toBeGreaterThan(point.mIOU);
      expect(point.trainLoss).toBeGreaterThan(0);
    }
    expect(curve.epochs[29]?.trainLoss).toBeLessThan(curve.epochs[0]?.trainLoss ?? 0);
  });

  it("depend on the hyperparameters only, whatever the key order", () => {
    const a = learningCurve({ learning_rate: "0.02", backbone: "resnet-101", epochs: "12" });
    const b = learningCurve({ epochs: "12", backbone: "resnet-101", learning_rate: "0.02" });
    expect(a).toEqual(b);
    expect(learningCurve({ learning_rate: "0.02", epochs: "12" })).not.toEqual(a);
  });

  it("cross: in the benchmark's study, the best final point is not the best early, and early ranks differ from final ones", () => {
    const points = study();
    const rank = (epoch: number) => [...points].sort((x, y) => mIOUAt(y, epoch) - mIOUAt(x, epoch));
    const best = rank(30)[0];
    expect(best).toBeDefined();
    expect(rank(3).indexOf(best as Record<string, string>)).toBeGreaterThan(2);
    // A slow starter: ResNet-101 levels off higher but is behind after 3 epochs at the same settings.
    const fast = { ...base, learning_rate: "0.01", lr_scheduler: "cosine", mini_batch_size: "8", backbone: "resnet-50" };
    const slow = { ...fast, backbone: "resnet-101" };
    expect(mIOUAt(slow, 3)).toBeLessThan(mIOUAt(fast, 3));
    expect(mIOUAt(slow, 30)).toBeGreaterThan(mIOUAt(fast, 30));
  });

  it("gain from a decaying schedule late: cosine decays less than poly early on, and both are done at the end", () => {
    expect(scheduleDecay({ lr_scheduler: "cosine" }, 5, 10)).toBeCloseTo(0.5, 6);
    expect(scheduleDecay({ lr_scheduler: "cosine" }, 3, 10)).toBeLessThan(scheduleDecay({ lr_scheduler: "poly" }, 3, 10));
    expect(scheduleDecay({ lr_scheduler: "poly" }, 10, 10)).toBe(1);
    const step = { lr_scheduler: "step", lr_scheduler_step: "3, 6", lr_scheduler_factor: "0.1" };
    expect([3, 4, 7].map((e) => scheduleDecay(step, e, 10))).toEqual([0, 0.9, expect.closeTo(0.99, 9)]);
  });

  it("end early on a plateau when the algorithm's own early stopping is on, after its minimum epochs", () => {
    const flat = [0.5, 0.6, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61, 0.61];
    const on = { early_stopping: "True", early_stopping_min_epochs: "5", early_stopping_patience: "3" };
    expect(algorithmStopEpoch(on, flat)).toBe(6);
    expect(algorithmStopEpoch({ ...on, early_stopping_min_epochs: "8" }, flat)).toBe(8);
    expect(algorithmStopEpoch({ ...on, early_stopping: "False" }, flat)).toBeUndefined();
    // A 2% relative improvement counts only while the tolerance is below it.
    const rising = flat.map((_, i) => 0.5 * 1.02 ** i);
    expect(algorithmStopEpoch(on, rising)).toBeUndefined();
    // Against a 5% tolerance, epochs 2-3 are stale, epoch 4 (6% over the best) resets, epochs 5-6 are stale.
    expect(algorithmStopEpoch({ ...on, early_stopping_patience: "2", early_stopping_tolerance: "0.05" }, rising)).toBe(6);
    const hp = { ...base, epochs: "40", learning_rate: "0.02", early_stopping: "True", early_stopping_patience: "2" };
    const curve = learningCurve(hp);
    expect(curve.epochs.length).toBeLessThan(40);
    expect(curve.plannedEpochs).toBe(40);
  });

  it("time the epochs by the model's size when asked to", () => {
    const r50 = simulatedTrainingSeconds({ epochs: "10" }, 120);
    expect(r50).toBeCloseTo(1200 / 0.88, 6);
    expect(simulatedTrainingSeconds({ epochs: "10", backbone: "resnet-101" }, 120)).toBeCloseTo(1.6 * r50, 6);
    expect(simulatedTrainingSeconds({ epochs: "20", crop_size: "480" }, 120)).toBeCloseTo(8 * r50, 6);
  });
});

describe("jobs trained by the stand-in", () => {
  it("complete early when the algorithm stops them, and report the last epoch trained", async () => {
    const clock = manualClock();
    const client = sageMakerClient(await standin({ clock, duration: () => 10_000 }));
    const hyperParameters = { ...base, epochs: "40", learning_rate: "0.02", early_stopping: "True", early_stopping_patience: "2" };
    await client.send(new CreateTrainingJobCommand(trainingRequest("plateau", { HyperParameters: hyperParameters })));
    const trained = learningCurve(hyperParameters).epochs.length;
    clock.advance(10_000 * (0.12 + (0.88 * trained) / 40) * 1000);
    const job = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: "plateau" }));
    expect(job.TrainingJobStatus).toBe("Completed");
    expect(job.FinalMetricDataList?.[0]?.Value).toBe(learningCurve(hyperParameters).epochs.at(-1)?.mIOU);
  });
});
