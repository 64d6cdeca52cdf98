/**
 * Plan benchmark (issue 2): plan a 1,000,000-point grid with --summary and report points per
 * second and peak RSS, next to the floor: merely building the same points and JSON-serialising
 * each. Every measurement runs in a fresh process (so peak RSS is its own), best of RUNS.
 *
 *   npm run build && node dist/bench/plan.js        (or: npx tsx bench/plan.ts)
 *
 * Targets: >= 300,000 points/s, peak RSS < 200 MB, plan time within 4x of the floor.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { planSweepFile } from "../src/plan/plan-file.js";
import { expandPoints } from "../src/sweep/expand/index.js";
import { loadSweepFile } from "../src/sweep/load.js";
import { parseDefinition } from "../src/sweep/parse-definition.js";

// Runs from bench/ (tsx) or dist/bench/ (compiled): the sweep file stays in the source tree.
const ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));
const SWEEP = `${ROOT}bench/million.yaml`;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Measurement {
  readonly mode: string;
  readonly points: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

async function measure(mode: "plan" | "floor", sweep: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let points = 0;
  if (mode === "plan") {
    const result = await planSweepFile(sweep, { summaryOnly: true });
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

function runChild(mode: string): Measurement {
  const script = fileURLToPath(import.meta.url);
  const runner = script.endsWith(".ts") ? ["--import", "tsx", script] : [script];
  const out = execFileSync(process.execPath, [...runner, "--child", mode, SWEEP], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Measurement;
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

const childIndex = process.argv.indexOf("--child");
if (childIndex >= 0) {
  const mode = process.argv[childIndex + 1] === "floor" ? "floor" : "plan";
  console.log(JSON.stringify(await measure(mode, process.argv[childIndex + 2] ?? SWEEP)));
} else {
  const plan = best("plan");
  const floor = best("floor");
  const rate = plan.points / plan.seconds;
  const ratio = plan.seconds / floor.seconds;
  console.log(`plan --summary of ${plan.points.toLocaleString("en-US")} grid points (best of ${RUNS}, fresh process each)`);
  console.log(
    `  plan:   ${plan.seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString("en-US")} points/s  peak RSS ${plan.peakRssMb.toFixed(0)} MB   (target >= 300,000 points/s, < 200 MB)`,
  );
  console.log(
    `  floor:  ${floor.seconds.toFixed(2)} s  ${Math.round(floor.points / floor.seconds).toLocaleString("en-US")} points/s  peak RSS ${floor.peakRssMb.toFixed(0)} MB   (build + JSON.stringify the same points)`,
  );
  console.log(`  ratio:  ${ratio.toFixed(2)}x the floor   (target <= 4x)`);
  const cli = cliWallSeconds();
  if (cli !== undefined)
    console.log(
      `  CLI:    ${cli.toFixed(2)} s wall for \`segsweep plan bench/million.yaml --summary\` (compiled bin, process start included)`,
    );
  const ok = rate >= 300_000 && plan.peakRssMb < 200 && ratio <= 4;
  console.log(ok ? "all targets met" : "TARGET MISSED");
  process.exitCode = ok ? 0 : 1;
}
