import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planJobsSweepFile } from "../../src/plan/plan-file.js";
import type { JobsPlan } from "../../src/plan/types.js";
import { summarizeCampaign } from "../../src/report/summarize.js";
import { completed } from "./fixtures.js";

/** The rest of a sweep file: what the snippet is pasted into. */
const REST = `data:
  train: s3://bucket/train/
  validation: s3://bucket/validation/
  train_annotation: s3://bucket/train_annotation/
  validation_annotation: s3://bucket/validation_annotation/
resources:
  instance_type: ml.g4dn.xlarge
  max_runtime: 2h
`;

async function planText(text: string): Promise<JobsPlan> {
  const file = join(mkdtempSync(join(tmpdir(), "segsweep-snippet-")), "sweep.yaml");
  writeFileSync(file, text);
  const result = await planJobsSweepFile(file);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.plan;
}

describe("the best point's sweep snippet, pasted into a sweep file", () => {
  it("plans exactly the best job again: same hyperparameters as sent, same job name", async () => {
    const study = await planText(`name: voc-study
hyperparameters:
  num_classes: 21
  num_training_samples: 1464
  algorithm: [fcn, psp]
  learning_rate: [0.001, 0.02]
  lr_scheduler: step
  lr_scheduler_step: "3, 6"
  use_pretrained_model: true
${REST}`);
    expect(study.jobs).toHaveLength(4);
    const scores = [0.41, 0.63, 0.57, 0.49];
    const report = summarizeCampaign(
      study,
      study.jobs.map((job, index) => completed(job.name, scores[index] ?? 0)),
    );
    const best = study.jobs[1];
    expect(report.best?.job).toBe(best?.name);

    const again = await planText(`name: voc-study\n${report.best?.sweepSnippet ?? ""}${REST}`);
    expect(again.jobs).toHaveLength(1);
    expect(again.jobs[0]?.hyperparameters).toEqual(best?.hyperparameters);
    expect(again.jobs[0]?.name).toBe(best?.name);
  });
});
