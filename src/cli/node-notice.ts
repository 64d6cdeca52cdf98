/**
 * The one line segsweep prints on Node before 22: Node 20 reached its end of life on 30 April 2026
 * (docs/sources.md#node-lifecycle) and the AWS SDK releases from January 2027 need Node 22. segsweep
 * still runs on 20; it says so once per run on stderr (never on stdout, which `--json` owns), in
 * place of the AWS SDK's own nine-line warning, which processIO turns off.
 */

/** The environment variable that hides the notice (documented in docs/launch.md). */
export const NODE_NOTICE_ENV = "SEGSWEEP_NO_NODE_NOTICE";

/** The notice for Node `version` (as process.version gives it), or undefined when there is nothing to say. */
export function nodeNotice(version: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const major = Number(/^v?(\d+)/.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= 22) return undefined;
  const hidden = env[NODE_NOTICE_ENV];
  if (hidden !== undefined && hidden !== "" && hidden !== "0") return undefined;
  return `segsweep: Node ${version.replace(/^v/, "")} is past its end of life; Node 22 or later is recommended (${NODE_NOTICE_ENV}=1 hides this line).\n`;
}
