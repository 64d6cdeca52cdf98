import { describe, expect, it } from "vitest";
import { interruptedBy } from "../../../src/cli/interrupt.js";
import { NODE_NOTICE_ENV, nodeNotice } from "../../../src/cli/node-notice.js";
import { runCli, sweepText, writeSweep } from "../../kit/cli.js";

const sweep = sweepText("learning_rate: [0.001, 0.01]", "limits:\n  max_concurrency: 2\n");

function abortedBy(reason: string): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

describe("a signal stops every command, named, with exit 130", () => {
  for (const command of ["validate", "plan"]) {
    it(`${command} stops on SIGTERM and says so`, async () => {
      const run = await runCli([command, writeSweep(sweep)], { signal: abortedBy("SIGTERM") });
      expect(run.code).toBe(130);
      expect(run.stderr).toContain("Interrupted by SIGTERM.");
    });
  }

  it("status interrupted while it talks to SageMaker is an interrupt, not SageMaker's error", async () => {
    const env = { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SAGEMAKER: "http://127.0.0.1:9" };
    const run = await runCli(["status", writeSweep(sweep)], { signal: abortedBy("SIGTERM"), env });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("Interrupted by SIGTERM.");
    expect(run.stderr).not.toMatch(/AbortError|internal error/);
  });

  it("names Ctrl-C as such", () => {
    expect(interruptedBy(abortedBy("SIGINT"))).toBe("Interrupted by Ctrl-C (SIGINT).");
    expect(interruptedBy(abortedBy("SIGTERM"))).toBe("Interrupted by SIGTERM.");
  });

  it("runs as usual without a signal", async () => {
    const run = await runCli(["validate", writeSweep(sweep)]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("Interrupted");
  });
});

describe("the Node version notice", () => {
  it("is one line on Node 20, none on 22 or later", () => {
    const line = nodeNotice("v20.20.2", {});
    expect(line).toMatch(/^segsweep: Node 20\.20\.2 is past its end of life; Node 22 or later is recommended/);
    expect(line?.trimEnd().split("\n")).toHaveLength(1);
    expect(nodeNotice("v22.12.0", {})).toBeUndefined();
    expect(nodeNotice("v24.1.0", {})).toBeUndefined();
  });

  it(`is hidden by ${NODE_NOTICE_ENV}`, () => {
    expect(nodeNotice("v20.20.2", { [NODE_NOTICE_ENV]: "1" })).toBeUndefined();
    expect(nodeNotice("v20.20.2", { [NODE_NOTICE_ENV]: "0" })).toBeDefined();
  });
});
