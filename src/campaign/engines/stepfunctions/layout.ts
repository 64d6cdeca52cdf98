/**
 * Where server-side campaigns keep their files, under the stack's `campaignsUri`
 * (`s3://<bucket>/<prefix>`): a campaign's items at `<prefix><campaign>/items/<hash>.json`, and
 * the Map Runs' results at `<prefix>_results/<map run id>/` (Step Functions adds the id; `_` cannot
 * begin a campaign name, so the two never meet). The state machine's role may read and write
 * under `<prefix>` only.
 */

/** The bucket and key prefix of an `s3://bucket/prefix/` URI; the prefix is empty or ends with `/`. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

/** Splits the stack's campaignsUri (validated by the StackOutputs schema) into bucket and prefix. */
export function campaignsLocation(campaignsUri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(campaignsUri);
  if (match === null) throw new Error(`campaignsUri must be an s3:// URI, got ${JSON.stringify(campaignsUri)}`);
  const key = (match[2] ?? "").replace(/\/+$/, "");
  return { bucket: match[1] ?? "", prefix: key === "" ? "" : `${key}/` };
}

/** The key of a campaign's items file. */
export function itemsKey(location: S3Location, campaign: string, itemsHash: string): string {
  return `${location.prefix}${campaign}/items/${itemsHash}.json`;
}

/** The ResultWriter prefix: Step Functions writes `<this>/<map run id>/manifest.json` and the result files. */
export function resultsPrefix(location: S3Location): string {
  return `${location.prefix}_results`;
}
