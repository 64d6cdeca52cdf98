import type { LaunchOutcome, PreparedLaunch } from "../../campaign/engines/types.js";
import type { LaunchObserver } from "../../campaign/events.js";
import type { World } from "../../campaign/world.js";
import type { LaunchPlan } from "../../plan/types.js";
import { againToQuit, interruptName } from "../interrupt.js";
import type { CliIO } from "../io.js";
import { createProgress, openEventLog } from "../progress.js";

/** Runs a prepared launch with its progress on stderr, its events in `--events FILE`, and Ctrl-C explained. */
export async function followWithProgress(
  prepared: PreparedLaunch,
  options: {
    readonly plan: LaunchPlan;
    readonly io: CliIO;
    readonly world: World;
    readonly mark: string;
    readonly eventsFile?: string | undefined;
  },
): Promise<LaunchOutcome> {
  const { plan, io, world, mark } = options;
  const progress = createProgress({
    stream: io.stderr,
    tty: io.stderr.isTTY === true,
    simulated: world.simulated,
    objective: plan.objective,
    columns: () => io.stderr.columns,
  });
  const log = options.eventsFile !== undefined ? openEventLog(options.eventsFile, world.simulated, () => world.clock.now()) : undefined;
  let logBroken = false;
  const observe: LaunchObserver = (event, view) => {
    progress.observe(event, view);
    if (log === undefined || logBroken) return;
    try {
      log.observe(event, view);
    } catch (error) {
      // The events file is a copy for machines: losing it must not stop a campaign that is spending money.
      logBroken = true;
      io.stderr.write(
        `${mark}warning: could not write ${options.eventsFile} (${error instanceof Error ? error.message : String(error)}); events are no longer written there.\n`,
      );
    }
  };
  const onInterrupt = (): void => {
    io.stderr.write(
      `\n${mark}${interruptName(io.signal)}: launching no more jobs; jobs already running keep running. (${againToQuit(io.signal)})\n`,
    );
  };
  io.signal.addEventListener("abort", onInterrupt, { once: true });
  try {
    return await prepared.run(observe);
  } finally {
    io.signal.removeEventListener("abort", onInterrupt);
    progress.finish();
    try {
      log?.close();
    } catch {
      // Already said above, or nothing left to lose.
    }
  }
}
