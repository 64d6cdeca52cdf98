import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { classifyAwsError } from "./classify.js";
import { BackendError } from "./types.js";

/**
 * Writes a server-side campaign's items file to S3 (under the stack's campaignsUri), where the
 * state machine's ItemReader reads it. The key carries a hash of the body, so writing the same
 * items twice writes the same bytes to the same key: a repeated launch is harmless. The SDK's
 * standard retry mode retries throttled and transient calls; what is left is classified.
 */
export interface CampaignItemsStore {
  /** Writes the items file (overwriting the same bytes on a repeated launch); returns its size in bytes. */
  write(location: { readonly bucket: string; readonly key: string }, body: string): Promise<{ readonly bytes: number }>;
  /** The items file's text, or null when there is none (a campaign launched elsewhere, a deleted file). */
  read(location: { readonly bucket: string; readonly key: string }): Promise<string | null>;
}

export interface CampaignItemsStoreOptions {
  readonly region: string;
  /** Overrides the endpoint (moto in tests); otherwise the SDK's chain (AWS_ENDPOINT_URL_S3) decides. */
  readonly endpoint?: string;
  readonly client?: S3Client;
  readonly credentials?: S3ClientConfig["credentials"];
}

function failure(operation: string, location: { readonly bucket: string; readonly key: string }, error: unknown): BackendError {
  const classified = classifyAwsError(error);
  return new BackendError(classified.kind, `${operation} s3://${location.bucket}/${location.key}: ${classified.message}`, classified.code, {
    cause: error,
  });
}

/** Creates the S3 store for campaign items. */
export function createCampaignItemsStore(options: CampaignItemsStoreOptions): CampaignItemsStore {
  const client =
    options.client ??
    new S3Client({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    });
  return {
    async write(location, body) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: body, ContentType: "application/json" }),
        );
        return { bytes: Buffer.byteLength(body) };
      } catch (error) {
        throw failure("PutObject", location, error);
      }
    },
    async read(location) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
        return (await object.Body?.transformToString("utf8")) ?? "";
      } catch (error) {
        if ((error as { name?: string }).name === "NoSuchKey") return null;
        throw failure("GetObject", location, error);
      }
    },
  };
}
