import type { LogicFigures } from "./logic.js";
import { DESCRIBE_PARALLELISM, type RunFigures } from "./run.js";

/** The launcher benchmark's words: each run's figures, then every target with PASS or FAIL. */

export function describeRun(f: RunFigures): string {
  const s = f.settings;
  const calls = Object.entries(f.sageMakerCalls)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  return [
    `stand-in, ${s.mode}, ${s.jobs} jobs, concurrency ${s.concurrency}: time scale ${f.scale}:1, real ${f.realSeconds.toFixed(1)} s, outcome ${f.outcome}`,
    `  completed ${f.completed}/${s.jobs}, duplicates ${f.duplicates}, max in progress ${f.maxInProgress}`,
    `  launcher process CPU ${f.cpuMsPerJob.toFixed(3)} ms per job, SDK and HTTP included (kernel ${f.systemMsPerJob.toFixed(3)}); an SDK call costs ${f.sdkCallMs.toFixed(3)} ms here`,
    `  retained heap ${(f.retainedBytesPerJob / 1024).toFixed(2)} KB per job; peak RSS ${f.peakRssMb.toFixed(0)} MB`,
    `  idle slot-time while points waited: ${f.idlePercent.toFixed(3)}% of busy slot-time (each real ms is ${(f.scale / 1000).toFixed(1)} simulated s here)`,
    Number.isFinite(f.refillSeconds[2])
      ? `  refill, a job's end to the create taking its slot (simulated): median ${f.refillSeconds[0].toFixed(0)} s, p99 ${f.refillSeconds[1].toFixed(0)} s, max ${f.refillSeconds[2].toFixed(0)} s`
      : "  refill: no point ever waited for a slot",
    `  SageMaker calls ${f.callsPerJob.toFixed(2)} per job = listing ${f.listCallsPerJob.toFixed(2)} + others ${f.otherCallsPerJob.toFixed(2)} (${calls}; ${f.throttled} throttled)`,
    `  listing passes ${f.ticks}, at most ${f.maxListCallsPerTick} ListTrainingJobs calls in one; describes in flight at most ${f.maxDescribesInFlight}; SDK socket-pool warnings ${f.socketWarnings}`,
    ...(f.sqsCalls !== undefined ? [`  SQS calls: ${JSON.stringify(f.sqsCalls)}`] : []),
  ].join("\n");
}

export function describeLogic(f: LogicFigures): string {
  const s = f.settings;
  return [
    `in memory, ${s.mode}, ${s.jobs} jobs, concurrency ${s.concurrency}: real ${f.realSeconds.toFixed(1)} s, outcome ${f.outcome}, completed ${f.completed}, max in progress ${f.maxInProgress}`,
    `  segsweep's own CPU ${f.cpuMsPerJob.toFixed(3)} ms per job; idle slot-time ${f.idlePercent.toFixed(3)}%; calls ${f.callsPerJob.toFixed(2)} per job (listing ${f.listCallsPerJob.toFixed(2)})`,
  ].join("\n");
}

function check(label: string, ok: boolean, figure: string): string {
  return `  ${ok ? "PASS" : "FAIL"}  ${label}: ${figure}`;
}

function flatness<F extends { settings: { mode: string; jobs: number }; cpuMsPerJob: number }>(runs: readonly F[], what: string): string[] {
  const lines: string[] = [];
  for (const mode of new Set(runs.map((f) => f.settings.mode))) {
    const bySize = runs.filter((f) => f.settings.mode === mode).sort((a, b) => a.settings.jobs - b.settings.jobs);
    const small = bySize[0];
    const large = bySize.at(-1);
    if (small === undefined || large === undefined || small === large) continue;
    const ratio = large.cpuMsPerJob / small.cpuMsPerJob;
    lines.push(
      check(
        `${what} ${mode}: CPU per job flat (${large.settings.jobs} within 1.5x of ${small.settings.jobs})`,
        ratio <= 1.5,
        `${ratio.toFixed(2)}x`,
      ),
    );
  }
  return lines;
}

/**
 * Memory per job: what the largest run keeps per job, and what each job adds between the smallest
 * and the largest (the slope, free of the fixed costs a small run spreads over few jobs).
 */
function memoryLines(runs: readonly RunFigures[]): string[] {
  const lines: string[] = [];
  for (const mode of new Set(runs.map((f) => f.settings.mode))) {
    const bySize = runs.filter((f) => f.settings.mode === mode).sort((a, b) => a.settings.jobs - b.settings.jobs);
    const small = bySize[0];
    const large = bySize.at(-1);
    // A small run spreads the process's fixed costs over few jobs: the target is for large campaigns.
    if (small === undefined || large === undefined || large.settings.jobs < 10_000) continue;
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;
    lines.push(
      check(
        `stand-in ${mode} ${large.settings.jobs}: retained memory < 2 KB per job`,
        large.retainedBytesPerJob < 2048,
        kb(large.retainedBytesPerJob),
      ),
    );
    if (small === large) continue;
    const slope =
      (large.retainedBytesPerJob * large.settings.jobs - small.retainedBytesPerJob * small.settings.jobs) /
      (large.settings.jobs - small.settings.jobs);
    lines.push(
      check(`stand-in ${mode}: memory each job adds (${small.settings.jobs} to ${large.settings.jobs}) < 2 KB`, slope < 2048, kb(slope)),
    );
  }
  return lines;
}

/** Every target, for the runs made. */
export function targetLines(logic: readonly LogicFigures[], standin: readonly RunFigures[]): string[] {
  const lines: string[] = [];
  for (const f of logic) {
    const at = `in memory ${f.settings.mode} ${f.settings.jobs}`;
    lines.push(check(`${at}: segsweep's CPU <= 2 ms per job`, f.cpuMsPerJob <= 2, `${f.cpuMsPerJob.toFixed(3)} ms`));
    const strict = f.settings.jobs >= 10_000 && f.settings.concurrency >= 200;
    lines.push(
      check(
        `${at}: idle slot-time ${strict ? "< 1%" : "<= 2%"}`,
        strict ? f.idlePercent < 1 : f.idlePercent <= 2,
        `${f.idlePercent.toFixed(3)}%`,
      ),
    );
  }
  lines.push(...flatness(logic, "in memory"));
  for (const f of standin) {
    const { mode, jobs, concurrency } = f.settings;
    const at = `stand-in ${mode} ${jobs}`;
    lines.push(
      check(
        `${at}: every job completed once, never above max_concurrency`,
        f.completed === jobs && f.duplicates === 0 && f.maxInProgress <= concurrency,
        `${f.completed}, ${f.duplicates} duplicates, max ${f.maxInProgress}`,
      ),
    );
    const calls = mode === "events" ? f.callsPerJob : f.otherCallsPerJob;
    lines.push(
      check(
        `${at}: SageMaker calls per job <= 3${mode === "polling" ? " + listing pages" : ""}`,
        calls <= 3,
        `${f.callsPerJob.toFixed(2)} (listing ${f.listCallsPerJob.toFixed(2)})`,
      ),
    );
    lines.push(
      check(
        `${at}: final describes bounded, no socket-pool overflow`,
        f.maxDescribesInFlight <= DESCRIBE_PARALLELISM && f.socketWarnings === 0,
        `${f.maxDescribesInFlight} in flight, ${f.socketWarnings} warnings`,
      ),
    );
    if (concurrency < 200)
      lines.push(check(`${at}: idle slot-time <= 2% (the first benchmark's target)`, f.idlePercent <= 2, `${f.idlePercent.toFixed(3)}%`));
  }
  lines.push(...flatness(standin, "stand-in (SDK included)"));
  lines.push(...memoryLines(standin));
  return lines;
}
