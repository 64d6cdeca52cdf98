import { TUNING_JOB_NAME_MAX } from "../../catalog/tuning.js";
import { hashHex } from "../../util/random.js";

/**
 * Tuning job names: at most 32 characters (docs/sources.md#amt), deterministic, so that launching
 * the same file again finds the same tuning jobs (CreateHyperParameterTuningJob answers
 * ResourceInUse for a name that exists). `<campaign, cut to 23>-<8 hex>`: the hex is a SHA-256
 * of the campaign name and everything that defines the tuning job (its request without the name,
 * and the data as written), so changing the file names new tuning jobs, as it names new training jobs.
 */

/** Hex digits of the hash: 32 bits, plenty for the handful of tuning jobs of one campaign. */
export const TUNING_HASH_LENGTH = 8;

/** The longest campaign prefix that leaves room for `-<hash>`. */
export const TUNING_PREFIX_MAX = TUNING_JOB_NAME_MAX - 1 - TUNING_HASH_LENGTH;

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The tuning job name of one branch of `campaign`, from what defines it. */
export function tuningJobName(campaign: string, definition: unknown): string {
  const prefix = campaign.slice(0, TUNING_PREFIX_MAX).replace(/-+$/, "");
  return `${prefix}-${hashHex(TUNING_HASH_LENGTH, campaign, canonicalJson(definition))}`;
}
