/**
 * `segsweep report` and `segsweep status` on a campaign of 10,000 ended jobs (issue 7 §4): the
 * commands as a user runs them (the real SDK backend, through AWS_ENDPOINT_URL_SAGEMAKER) against
 * the stand-in, after 10,000 jobs were created through the SDK and ran to their end. Prints the
 * SageMaker calls each made (as the stand-in counted them) and its wall time, against the targets:
 * at most N/100 + 10 calls and under 10 s each.
 *
 *   npx tsx bench/report-status.ts [--jobs 10000]
 */
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { buildCreateTrainingJobRequest } from "../src/backend/request.js";
import { createSageMakerBackend } from "../src/backend/sagemaker.js";
import { simulatedStackOutputs } from "../src/campaign/simulate.js";
import { defaultDeps } from "../src/cli/commands/deps.js";
import { createReportCommand } from "../src/cli/commands/report.js";
import { createStatusCommand } from "../src/cli/commands/status.js";
import type { CliIO, Command } from "../src/cli/io.js";
import { startStandin } from "../src/standin/index.js";
import { benchPlan } from "./launch/fixtures.js";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "10000" } } });
const JOBS = Number(values.jobs);
const CREDENTIALS = { accessKeyId: "BENCH", secretAccessKey: "bench-secret" };
// The commands' SDK clients take credentials from the environment, as for a user.
process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
delete process.env.AWS_PROFILE;

const clock = { time: Date.UTC(2030, 0, 1) };
const standin = await startStandin({
  clock: { now: () => clock.time },
  duration: () => 3600,
  failureRates: { algorithm: 0.05, capacity: 0.02 },
});
const plan = benchPlan("bench-report", JOBS, 200);
const stack = simulatedStackOutputs("us-east-1");
const backend = createSageMakerBackend({ region: "us-east-1", endpoint: standin.endpoint, credentials: CREDENTIALS });
const limit = pLimit(16);
const created = performance.now();
await Promise.all(plan.jobs.map((job) => limit(() => backend.createJob(buildCreateTrainingJobRequest(plan, job, 0, stack)))));
clock.time += 2 * 3_600_000;
process.stdout.write(`${JOBS} jobs created through the SDK in ${((performance.now() - created) / 1000).toFixed(1)} s, then ended\n`);

/** Runs a command as a user would (output discarded), counting the stand-in's calls and the wall time. */
async function measure(name: string, command: Command, argv: string[]): Promise<string> {
  const before = standin.stats().calls;
  let out = "";
  const io: CliIO = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
    env: {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SAGEMAKER: standin.endpoint,
      AWS_ACCESS_KEY_ID: "BENCH",
      AWS_SECRET_ACCESS_KEY: "bench-secret",
    },
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
  const started = performance.now();
  const code = await command(argv, io);
  const seconds = (performance.now() - started) / 1000;
  const after = standin.stats().calls;
  const calls = Object.entries(after)
    .filter(([op]) => op !== "CreateTrainingJob")
    .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const total = calls.reduce((sum, [, n]) => sum + n, 0);
  const bound = JOBS / 100 + 10;
  return [
    `${name}: exit ${code}, ${out.length} characters out, ${seconds.toFixed(2)} s, ${total} SageMaker calls (${calls.map(([op, n]) => `${op} ${n}`).join(", ")})`,
    `  ${total <= bound ? "PASS" : "FAIL"}  ${name}: SageMaker calls <= N/100 + 10 = ${bound}: ${total}`,
    `  ${seconds < 10 ? "PASS" : "FAIL"}  ${name}: under 10 s: ${seconds.toFixed(2)} s`,
  ].join("\n");
}

const deps = { ...defaultDeps, planSweepFile: async () => ({ ok: true as const, plan }) };
process.stdout.write(`${await measure("report (table)", createReportCommand(deps), ["bench.yaml"])}\n`);
process.stdout.write(`${await measure("report --format json", createReportCommand(deps), ["bench.yaml", "--format", "json"])}\n`);
process.stdout.write(`${await measure("status --json", createStatusCommand(deps), ["bench.yaml", "--json"])}\n`);
await standin.close();
