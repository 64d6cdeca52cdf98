/**
 * Every benchmark, one after the other, each in a fresh process so its time and memory are its own:
 * `npm run bench` (from the sources, through tsx) or `node dist/bench/run-all.js` (compiled). Each
 * prints its figures and its targets; this prints a last line per benchmark and exits 1 when one failed.
 *
 *   npm run bench                    # all of them (about 25 minutes on 2 vCPUs)
 *   npm run bench -- launch report   # only those whose name starts so
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The benchmarks, by script name, with the arguments they run with here. */
const BENCHMARKS: readonly { readonly name: string; readonly args: readonly string[] }[] = [
  { name: "plan", args: [] },
  { name: "launch", args: [] },
  { name: "launch", args: ["--jobs", "500", "--concurrency", "20", "--only", "standin", "--seconds", "60"] },
  { name: "report-status", args: [] },
  { name: "report-page", args: [] },
  { name: "early-termination", args: [] },
  { name: "preflight-listing", args: [] },
];

const compiled = import.meta.url.endsWith(".js");
const only = process.argv.slice(2);
const results: string[] = [];
for (const { name, args } of BENCHMARKS) {
  if (only.length > 0 && !only.some((prefix) => name.startsWith(prefix))) continue;
  const script = fileURLToPath(new URL(`./${name}.${compiled ? "js" : "ts"}`, import.meta.url));
  const label = [name, ...args].join(" ");
  process.stdout.write(`\n=== ${label}\n`);
  const run = spawnSync(process.execPath, [...(compiled ? [] : ["--import", "tsx"]), script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    maxBuffer: 64 * 2 ** 20,
  });
  process.stdout.write(run.stdout);
  // Each prints its verdicts its own way: "  FAIL  ...", "TARGET MISSED", "...: MISSED".
  const failed = run.status !== 0 || /^\s*FAIL\b|TARGET MISSED|: MISSED/m.test(run.stdout);
  results.push(`${failed ? "FAIL" : "PASS"}  ${label}${run.status !== 0 ? ` (exit ${run.status})` : ""}`);
}
process.stdout.write(`\n=== Summary\n${results.join("\n")}\n`);
process.exitCode = results.some((line) => line.startsWith("FAIL")) ? 1 : 0;
