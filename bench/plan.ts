/**
 * Plan benchmark. Two parts, each measurement in a fresh process (so peak RSS is its own):
 *
 * 1. `plan --summary` of a 1,000,000-point grid (bench/million.yaml): points per second and peak
 *    RSS, next to the floor (the same file read and the same points built and JSON-serialised
 *    once each), best of RUNS.
 * 2. `segsweep plan bench/half-million.yaml --format json|csv|table`: 500,000 distinct jobs
 *    written to /dev/null through the CLI's own code, once each: peak RSS, time, bytes written.
 *
 *   npm run build && node dist/bench/plan.js        (or: npx tsx bench/plan.ts)
 *
 * Targets: >= 500,000 points/s, plan time within 3x of the floor, --summary < 200 MB;
 * every format of 500,000 jobs < 300 MB peak RSS.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main, processIO } from "../src/cli/main.js";
import { planJobsSweepFile } from "../src/plan/plan-file.js";
import { expandPoints } from "../src/sweep/expand/index.js";
import { loadSweepFile } from "../src/sweep/load.js";
import { parseDefinition } from "../src/sweep/parse-definition.js";

// Runs from bench/ (tsx) or dist/bench/ (compiled): the sweep files stay in the source tree.
const ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));
const SWEEP = `${ROOT}bench/million.yaml`;
const HALF_MILLION = "bench/half-million.yaml";
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FORMATS = ["json", "csv", "table"] as const;

interface Measurement {
  readonly mode: string;
  readonly points: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly bytes?: number;
}

async function measure(mode: "plan" | "floor", sweep: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let points = 0;
  if (mode === "plan") {
    const result = await planJobsSweepFile(sweep, { summaryOnly: true });
    if (!result.ok) throw new Error(`the benchmark sweep is invalid: ${JSON.stringify(result.diagnostics)}`);
    points = result.plan.counts.expanded;
  } else {
    // The floor: the same file read and the same points built, each serialised once; no validation, no dedup.
    const parsed = await loadSweepFile(sweep);
    if (!parsed.ok) throw new Error("unreadable sweep");
    const def = parseDefinition(parsed.source);
    if (!def.ok) throw new Error("invalid sweep");
    let bytes = 0;
    for (const point of expandPoints(def.definition, { expanded: 0, excluded: 0 })) {
      bytes += JSON.stringify(point.values).length;
      points++;
    }
    if (bytes === 0) throw new Error("no output");
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mode, points, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** `segsweep plan FILE --format F`, in this process, its stdout being /dev/null (set up by the parent). */
async function measureCli(format: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  const io = processIO();
  const stdout = { write: (text: string) => ((bytes += Buffer.byteLength(text)), process.stdout.write(text)), isTTY: false };
  const code = await main(["plan", HALF_MILLION, "--format", format], { ...io, stdout, stderr: { write: () => true } });
  if (code !== 0) throw new Error(`segsweep plan --format ${format} exited ${code}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { mode: format, points: 500_000, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, bytes };
}

function runner(): string[] {
  const script = fileURLToPath(import.meta.url);
  return script.endsWith(".ts") ? ["--import", "tsx", script] : [script];
}

function runChild(mode: string): Measurement {
  const out = execFileSync(process.execPath, [...runner(), "--child", mode, SWEEP], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Measurement;
}

/** A CLI run writes the plan to stdout, so the child reports on stderr. */
function runCliChild(format: string): Measurement {
  const devNull = openSync("/dev/null", "w");
  try {
    const run = spawnSync(process.execPath, [...runner(), "--cli", format], {
      cwd: ROOT,
      stdio: ["ignore", devNull, "pipe"],
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`plan --format ${format} failed: ${run.stderr}`);
    return JSON.parse(run.stderr.trim().split("\n").pop() ?? "{}") as Measurement;
  } finally {
    closeSync(devNull);
  }
}

function best(mode: string): Measurement {
  const runs = Array.from({ length: RUNS }, () => runChild(mode));
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

/** The whole command as a user runs it, when the compiled CLI exists (after `npm ci` / `npm run build`). */
function cliWallSeconds(): number | undefined {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [`${ROOT}bin/segsweep.js`, "plan", SWEEP, "--summary"], { encoding: "utf8" });
  if (run.status !== 0) return undefined;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function n(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function summaryPart(): boolean {
  const plan = best("plan");
  const floor = best("floor");
  const rate = plan.points / plan.seconds;
  const ratio = plan.seconds / floor.seconds;
  console.log(`plan --summary of ${n(plan.points)} grid points (best of ${RUNS}, fresh process each)`);
  console.log(
    `  plan:   ${plan.seconds.toFixed(2)} s  ${n(rate)} points/s  peak RSS ${plan.peakRssMb.toFixed(0)} MB   (target >= 500,000 points/s, < 200 MB)`,
  );
  console.log(
    `  floor:  ${floor.seconds.toFixed(2)} s  ${n(floor.points / floor.seconds)} points/s  peak RSS ${floor.peakRssMb.toFixed(0)} MB   (build + JSON.stringify the same points)`,
  );
  console.log(`  ratio:  ${ratio.toFixed(2)}x the floor   (target <= 3x)`);
  const cli = cliWallSeconds();
  if (cli !== undefined)
    console.log(
      `  CLI:    ${cli.toFixed(2)} s wall for \`segsweep plan bench/million.yaml --summary\` (compiled bin, process start included)`,
    );
  return rate >= 500_000 && plan.peakRssMb < 200 && ratio <= 3;
}

function formatsPart(): boolean {
  console.log(`segsweep plan ${HALF_MILLION} --format F > /dev/null: 500,000 distinct jobs (fresh process each)`);
  let ok = true;
  for (const format of FORMATS) {
    const m = runCliChild(format);
    const mb = (m.bytes ?? 0) / 1e6;
    console.log(
      `  ${format.padEnd(5)}   ${m.seconds.toFixed(1)} s  ${mb.toFixed(0).padStart(4)} MB written  ${n(m.points / m.seconds)} jobs/s  peak RSS ${m.peakRssMb.toFixed(0)} MB   (target < 300 MB)`,
    );
    ok &&= m.peakRssMb < 300;
  }
  return ok;
}

const childIndex = process.argv.indexOf("--child");
const cliIndex = process.argv.indexOf("--cli");
if (childIndex >= 0) {
  const mode = process.argv[childIndex + 1] === "floor" ? "floor" : "plan";
  console.log(JSON.stringify(await measure(mode, process.argv[childIndex + 2] ?? SWEEP)));
} else if (cliIndex >= 0) {
  process.stderr.write(`${JSON.stringify(await measureCli(process.argv[cliIndex + 1] ?? "json"))}\n`);
} else {
  const only = process.argv.includes("--formats") ? "formats" : process.argv.includes("--summary") ? "summary" : "both";
  const summaryOk = only === "formats" ? true : summaryPart();
  const formatsOk = only === "summary" ? true : formatsPart();
  const ok = summaryOk && formatsOk;
  console.log(ok ? "all targets met" : "TARGET MISSED");
  process.exitCode = ok ? 0 : 1;
}
