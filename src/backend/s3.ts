import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { classifyAwsError } from "./classify.js";
import { BackendError } from "./types.js";

/**
 * Reading a dataset in S3 for preflight, through @aws-sdk/client-s3: list a prefix page by page,
 * read the start of an object, count an object's lines, test that an object exists. Region,
 * credentials and endpoint come from the client (the SDK chain honours AWS_ENDPOINT_URL_S3).
 * Throttling and 5xx are retried by the SDK's own retry strategy; what is left is a BackendError,
 * with kind "not-found" for a missing bucket or key and "access-denied" for a 403.
 */

/** ListObjectsV2 returns at most 1,000 keys a page (docs/sources.md#preflight). */
export const S3_LIST_PAGE_SIZE = 1000;

/** One object under a listed prefix. */
export interface S3Object {
  /** The key without the listed prefix. */
  readonly key: string;
  readonly size: number;
}

/** What listing a prefix found, up to the bound it was given. */
export interface PrefixListing {
  readonly bucket: string;
  readonly prefix: string;
  readonly objects: readonly S3Object[];
  readonly pages: number;
  /** False when the bound was reached before the last page: `objects` is then the first part only. */
  readonly complete: boolean;
}

export interface ListPrefixOptions {
  /** Stop after this many objects (rounded up to a whole page). */
  readonly maxObjects: number;
  /** Called after each page with the objects listed so far and the pages read. */
  readonly onPage?: (listed: number, pages: number) => void;
  readonly signal?: AbortSignal;
}

/** The S3 reads preflight makes; an interface so the checks can run against any implementation. */
export interface S3Reader {
  listPrefix(bucket: string, prefix: string, options: ListPrefixOptions): Promise<PrefixListing>;
  /** The first `maxBytes` bytes of an object as UTF-8, and the object's whole size. */
  readStart(bucket: string, key: string, maxBytes: number): Promise<{ readonly text: string; readonly size: number }>;
  /** Counts the lines of an object (a final line without a newline counts); undefined when it is over `maxBytes`. */
  countLines(bucket: string, key: string, maxBytes: number): Promise<number | undefined>;
  exists(bucket: string, key: string): Promise<boolean>;
  /** S3 API calls made so far, by operation. */
  readonly calls: Readonly<Record<string, number>>;
}

interface S3LikeError {
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** A BackendError whose kind tells a missing bucket or key, and a refusal, apart from the rest. */
export function classifyS3Error(error: unknown): BackendError {
  const classified = classifyAwsError(error);
  const status = (error as S3LikeError | undefined)?.$metadata?.httpStatusCode;
  // HeadObject answers without a body, so the SDK names the error after the status only.
  const message = classified.message && classified.message !== "UnknownError" ? classified.message : `HTTP ${status ?? "error"}`;
  if (["NoSuchBucket", "NoSuchKey", "NotFound"].includes(classified.code) || status === 404)
    return new BackendError("not-found", message, classified.code, { cause: error });
  if (status === 403) return new BackendError("access-denied", message, classified.code, { cause: error });
  return classified;
}

/** Counts the call and classifies its error. */
type Send = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

async function listPrefix(
  client: S3Client,
  send: Send,
  bucket: string,
  prefix: string,
  options: ListPrefixOptions,
): Promise<PrefixListing> {
  const objects: S3Object[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await send("ListObjectsV2", () =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: S3_LIST_PAGE_SIZE, ContinuationToken: token }),
        options.signal ? { abortSignal: options.signal } : {},
      ),
    );
    pages++;
    for (const item of page.Contents ?? []) {
      if (item.Key !== undefined) objects.push({ key: item.Key.slice(prefix.length), size: item.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    options.onPage?.(objects.length, pages);
  } while (token !== undefined && objects.length < options.maxObjects);
  return { bucket, prefix, objects, pages, complete: token === undefined };
}

async function readStart(
  client: S3Client,
  send: Send,
  bucket: string,
  key: string,
  maxBytes: number,
): Promise<{ text: string; size: number }> {
  try {
    const output = await send("GetObject", () =>
      client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${Math.max(0, maxBytes - 1)}` })),
    );
    const bytes = (await output.Body?.transformToByteArray()) ?? new Uint8Array();
    const total = /\/(\d+)$/.exec(output.ContentRange ?? "")?.[1];
    return { text: new TextDecoder().decode(bytes), size: total !== undefined ? Number(total) : bytes.length };
  } catch (error) {
    // A range of an empty object is not satisfiable (HTTP 416): the object is there, with no bytes.
    if (error instanceof BackendError && error.code === "InvalidRange") return { text: "", size: 0 };
    throw error;
  }
}

async function countLines(client: S3Client, send: Send, bucket: string, key: string, maxBytes: number): Promise<number | undefined> {
  const output = await send("GetObject", () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  if ((output.ContentLength ?? 0) > maxBytes) {
    // Too big to count here: drop the connection rather than download it.
    (output.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return undefined;
  }
  const bytes = (await output.Body?.transformToByteArray()) ?? new Uint8Array();
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? lines + 1 : lines;
}

async function exists(client: S3Client, send: Send, bucket: string, key: string): Promise<boolean> {
  try {
    await send("HeadObject", () => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
    return true;
  } catch (error) {
    if (error instanceof BackendError && error.kind === "not-found") return false;
    throw error;
  }
}

/** The S3Reader over an SDK client. */
export function createS3Reader(client: S3Client): S3Reader {
  const calls: Record<string, number> = {};
  const send: Send = async (operation, run) => {
    calls[operation] = (calls[operation] ?? 0) + 1;
    try {
      return await run();
    } catch (error) {
      throw classifyS3Error(error);
    }
  };
  return {
    calls,
    listPrefix: (bucket, prefix, options) => listPrefix(client, send, bucket, prefix, options),
    readStart: (bucket, key, maxBytes) => readStart(client, send, bucket, key, maxBytes),
    countLines: (bucket, key, maxBytes) => countLines(client, send, bucket, key, maxBytes),
    exists: (bucket, key) => exists(client, send, bucket, key),
  };
}
