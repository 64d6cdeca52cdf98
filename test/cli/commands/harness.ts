import type { Clock } from "../../../src/backend/clock.js";
import type { JobDetails, TrainingBackend } from "../../../src/backend/types.js";
import type { CampaignDeps } from "../../../src/cli/commands/campaign-context.js";
import type { CliIO } from "../../../src/cli/io.js";
import type { LaunchPlan } from "../../../src/plan/types.js";
import type { StackOutputs } from "../../../src/stack/outputs.js";
import { T0 } from "../../report/fixtures.js";

/** A clock that never waits: `sleep` moves time on and lets the test change the world meanwhile. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(
    public time = T0,
    private readonly onSleep?: (clock: FakeClock) => void | Promise<void>,
  ) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
    await this.onSleep?.(this);
    if (signal?.aborted) throw signal.reason;
  }
}

/** Stack outputs with a region of their own, to tell them apart from AWS_REGION. */
export const STACK_OUTPUTS: StackOutputs = {
  region: "eu-west-1",
  bucketName: "segsweep-data",
  datasetsUri: "s3://segsweep-data/datasets/",
  outputsUri: "s3://segsweep-data/outputs/",
  checkpointsUri: "s3://segsweep-data/checkpoints/",
  campaignsUri: "s3://segsweep-data/campaigns/",
  trainingRoleArn: "arn:aws:iam::123456789012:role/segsweep-training",
  operatorPolicyArn: "arn:aws:iam::123456789012:policy/segsweep-operator",
  trainingImage: "685385470294.dkr.ecr.eu-west-1.amazonaws.com/semantic-segmentation:1",
  instanceTypes: ["ml.p3.2xlarge"],
};

/** Deps for a command under test: a fixed plan, the given backend, and a record of how it was opened. */
export function fakeDeps(
  plan: LaunchPlan,
  backend: TrainingBackend,
  options: { clock?: Clock; journal?: readonly JobDetails[] } = {},
): CampaignDeps & { readonly opened: { region: string; endpoint?: string }[]; readonly stackReads: unknown[] } {
  const opened: { region: string; endpoint?: string }[] = [];
  const stackReads: unknown[] = [];
  return {
    opened,
    stackReads,
    planSweepFile: async () => ({ ok: true, plan }),
    createBackend: (backendOptions) => {
      opened.push({ ...backendOptions });
      return backend;
    },
    readStackOutputs: async (source) => {
      stackReads.push(source);
      return STACK_OUTPUTS;
    },
    loadEndedDetails: async () => new Map((options.journal ?? []).map((job) => [job.name, job])),
    clock: options.clock ?? new FakeClock(),
  };
}

/** Captured output of a command run in-process, off a terminal unless told otherwise. */
export interface Captured {
  readonly io: CliIO;
  stdout(): string;
  stderr(): string;
}

export function captureIO(
  overrides: { env?: Record<string, string>; tty?: boolean; confirm?: (question: string) => Promise<boolean>; signal?: AbortSignal } = {},
): Captured {
  let out = "";
  let err = "";
  const io: CliIO = {
    stdout: { write: (text: string) => (out += text), isTTY: overrides.tty === true },
    stderr: { write: (text: string) => (err += text), isTTY: overrides.tty === true },
    env: overrides.env ?? { AWS_REGION: "us-east-1" },
    cwd: "/nonexistent-cwd",
    signal: overrides.signal ?? new AbortController().signal,
    ...(overrides.confirm !== undefined ? { confirm: overrides.confirm } : {}),
  };
  return { io, stdout: () => out, stderr: () => err };
}
