/**
 * Launcher benchmark (issue 7 §4). Campaigns of 1,000 and 10,000 jobs at concurrency 200,
 * durations log-normal (median 2 h, sigma 0.5), 10% of SageMaker calls throttled, in both modes
 * (listing passes, and state-change events), run twice:
 *
 * - in memory: one process, the in-memory SageMaker on a discrete-event clock, so the figures are
 *   segsweep's own CPU and exact slot-time, whatever the machine (no HTTP, no SDK);
 * - against the stand-in: its own process, the real SDK over HTTP, one clock scaled so a run takes
 *   about `--seconds` of real time; the launcher's memory, its SageMaker calls as the stand-in
 *   counted them, its describes in flight and the SDK's socket pool.
 *
 * It prints every figure and every target in one run.
 *
 *   npx tsx bench/launch.ts                                  # 1,000 and 10,000 jobs, both modes, both ways
 *   npx tsx bench/launch.ts --jobs 500 --concurrency 20 --only standin   # the first benchmark's setting
 */
import { parseArgs } from "node:util";
import { type LogicFigures, measureLogic } from "./launch/logic.js";
import { describeLogic, describeRun, targetLines } from "./launch/report-lines.js";
import { measureRun, type RunFigures } from "./launch/run.js";

const { values } = parseArgs({
  options: {
    modes: { type: "string", default: "polling,events" },
    jobs: { type: "string", default: "1000,10000" },
    concurrency: { type: "string", default: "200" },
    seconds: { type: "string" },
    only: { type: "string" },
  },
});
const sizes = values.jobs.split(",").map(Number);
const modes = values.modes.split(",") as ("polling" | "events")[];
const concurrency = Number(values.concurrency);
const shape = { concurrency, medianSeconds: 7200, sigma: 0.5, throttleRate: 0.1, pollIntervalMs: 30_000 };

const logic: LogicFigures[] = [];
if (values.only !== "standin") {
  for (const mode of modes) {
    for (const jobs of sizes) {
      const figures = await measureLogic({ ...shape, mode, jobs });
      logic.push(figures);
      process.stdout.write(`${describeLogic(figures)}\n`);
    }
  }
}
const standin: RunFigures[] = [];
if (values.only !== "memory") {
  for (const mode of modes) {
    for (const jobs of sizes) {
      const seconds = values.seconds !== undefined ? Number(values.seconds) : Math.max(40, jobs / 80);
      const figures = await measureRun({ ...shape, mode, jobs, seconds });
      standin.push(figures);
      process.stdout.write(`${describeRun(figures)}\n`);
    }
  }
}
process.stdout.write(`\nTargets\n${targetLines(logic, standin).join("\n")}\n`);
