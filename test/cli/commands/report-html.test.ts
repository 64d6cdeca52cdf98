import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReportCommand } from "../../../src/cli/commands/report.js";
import type { CliIO } from "../../../src/cli/io.js";
import { UsageError, UserError } from "../../../src/errors.js";
import { CampaignReport } from "../../../src/report/types.js";
import { captureIO } from "../../kit/cli.js";
import { fakeDeps } from "../../kit/deps.js";
import { sageMakerWith } from "../../kit/sagemaker.js";
import { pageJobs, pagePlan } from "../../report/render/page-fixture.js";

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), "segsweep-report-out-"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

function run(argv: readonly string[], options: { tty?: boolean } = {}) {
  const captured = captureIO(options);
  const io: CliIO = { ...captured.io, cwd };
  return { ...captured, done: createReportCommand(fakeDeps(pagePlan, { backend: sageMakerWith(pageJobs) }))(["s.yaml", ...argv], io) };
}

describe("segsweep report --format html / -o", () => {
  it("writes the page to the file given with -o, relative to the working directory, and says so", async () => {
    const out = run(["--format", "html", "-o", "report.html"], { tty: true });
    expect(await out.done).toBe(0);
    const html = await readFile(join(cwd, "report.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    for (const job of pagePlan.jobs) expect(html).toContain(job.name);
    expect(out.stdout()).toBe("");
    expect(out.stderr()).toMatch(/^Wrote report\.html \(\d+ KB\)\.\n$/);
    expect(await readdir(cwd)).toEqual(["report.html"]);
  });

  it("writes any format to -o: the JSON carries every job in time", async () => {
    expect(await run(["--format", "json", "--output", "r.json"]).done).toBe(0);
    const report = CampaignReport.parse(JSON.parse(await readFile(join(cwd, "r.json"), "utf8")));
    expect(report.jobs).toHaveLength(pageJobs.length);
  });

  it("asks for -o rather than pouring a page onto a terminal (exit 2), and writes to a pipe", async () => {
    const error = await run(["--format", "html"], { tty: true }).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain("give a file, e.g. -o report.html");
    const piped = run(["--format", "html"]);
    expect(await piped.done).toBe(0);
    expect(piped.stdout().startsWith("<!doctype html>")).toBe(true);
  });

  it("says which file it could not write and why, leaving nothing behind", async () => {
    const error = await run(["--format", "html", "-o", "missing/report.html"]).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      "cannot write the report to missing/report.html (ENOENT): check that its folder exists and is writable.",
    );
    expect(await readdir(cwd)).toEqual([]);
  });
});
