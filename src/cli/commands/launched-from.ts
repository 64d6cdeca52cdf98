import { tagValue } from "../../backend/request.js";
import type { JobDetails } from "../../backend/types.js";
import { TAG_SWEEP_FILE } from "../../catalog/sagemaker-api.js";
import { plural } from "../../report/table.js";
import type { CliIO } from "../io.js";
import type { CampaignDeps } from "./deps.js";

/**
 * Which sweep file launched a campaign's jobs, from their `segsweep:sweep-file` tag, when it is
 * not the file given to `status` or `report`: two sweep files with the same `name:` share one
 * campaign, and the user should know whose jobs these are.
 */

/** The line to print; "" when every tagged job came from `given` (the path as tagged, from the git root). */
export function launchedFromNote(jobs: readonly JobDetails[], given: string, campaign: string): string {
  const expected = tagValue(given);
  const others = new Map<string, number>();
  for (const job of jobs) {
    const file = job.tags?.[TAG_SWEEP_FILE];
    if (file !== undefined && file !== expected) others.set(file, (others.get(file) ?? 0) + 1);
  }
  if (others.size === 0) return "";
  const list = [...others].map(([file, count]) => `${file} (${plural(count, "job")})`).join(", ");
  return (
    `Jobs of campaign ${campaign} were launched from another sweep file than ${given}: ${list}. ` +
    `Sweep files that share \`name: ${campaign}\` share one campaign; give each its own name.\n`
  );
}

/** Writes the note on stderr for the sweep file `file` as given on the command line. */
export async function tellLaunchedFrom(
  io: CliIO,
  deps: Pick<CampaignDeps, "sweepFileLocation">,
  file: string,
  campaign: string,
  jobs: readonly JobDetails[],
): Promise<void> {
  const { relative } = await deps.sweepFileLocation(file, io.cwd);
  io.stderr.write(launchedFromNote(jobs, relative, campaign));
}
