import type { Clock } from "../../src/backend/clock.js";
import { endpointFromEnv, type Identity } from "../../src/backend/identity.js";
import type { JobEventSource } from "../../src/backend/sqs-events.js";
import type { TrainingBackend } from "../../src/backend/types.js";
import { fileJournal, type Journal } from "../../src/campaign/journal.js";
import type { CampaignDeps } from "../../src/cli/commands/deps.js";
import type { JobsPlan } from "../../src/plan/types.js";
import type { StackOutputs } from "../../src/stack/outputs.js";
import { createFakeClock } from "./clock.js";
import { STACK } from "./stack.js";

/**
 * The campaign commands' dependency bag for tests: a fixed plan, the given backend (the in-memory
 * SageMaker, or the SDK on the stand-in), the stack fixture, a fixed identity, and a record of how
 * the world was reached.
 */
export interface FakeDepsOptions {
  readonly backend: TrainingBackend;
  readonly clock?: Clock;
  readonly stack?: StackOutputs;
  /** Default: account 123456789012 in the stack's region. */
  readonly identity?: Identity;
  readonly openJournal?: (cwd: string, campaign: string, identity: Identity) => Journal;
  readonly events?: JobEventSource & { readonly waitsForEvents: boolean };
  readonly gitCommit?: string;
}

export interface FakeDeps extends CampaignDeps {
  /** Every connect, with the region and the SageMaker endpoint the environment named. */
  readonly opened: { region: string; endpoint?: string }[];
  readonly stackReads: unknown[];
}

export function fakeDeps(plan: JobsPlan, options: FakeDepsOptions): FakeDeps {
  const opened: { region: string; endpoint?: string }[] = [];
  const stackReads: unknown[] = [];
  const stack = options.stack ?? STACK;
  const clock = options.clock ?? createFakeClock();
  return {
    opened,
    stackReads,
    planSweepFile: async () => ({ ok: true, plan }),
    readStackOutputs: async (source) => {
      stackReads.push(source);
      return stack;
    },
    connect: async (request) => {
      const endpoint = endpointFromEnv(request.env, "SAGEMAKER");
      opened.push({ region: request.region, ...(endpoint !== undefined ? { endpoint } : {}) });
      return {
        backend: options.backend,
        clock,
        simulated: false,
        ...(options.events !== undefined ? { events: options.events } : {}),
        close: async () => undefined,
      };
    },
    identify: async (request) => options.identity ?? { account: "123456789012", region: request.region },
    simulate: async () => {
      throw new Error("not simulated in this test");
    },
    openJournal: options.openJournal ?? fileJournal,
    gitCommit: async () => options.gitCommit ?? "0123456789abcdef0123456789abcdef01234567",
    clock,
  };
}
