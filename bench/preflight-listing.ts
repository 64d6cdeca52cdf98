/**
 * Preflight benchmark (issue 8): list a 100,000-object prefix page by page through preflight's S3
 * reader and check every object, next to the floor: the same pages fetched by a bare
 * ListObjectsV2 loop that keeps nothing. The server is moto's S3, seeded in-process
 * (test/kit/moto_seeded.py, started as a separate Python process), so the time per page is mostly
 * moto's; what is preflight's own is the ratio to the floor and the client's CPU time.
 *
 *   npx tsx bench/preflight-listing.ts            (or, after npm run build: node dist/bench/preflight-listing.js)
 *
 * The two listings alternate, best of BENCH_RUNS (default 2) each, since moto's speed drifts with the
 * machine's load. Targets: listing within 1.2x the floor; the checks of 100,000 objects under 1 s of CPU; peak RSS < 300 MB.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { createS3Reader, type PrefixListing } from "../src/backend/s3.js";
import { checkFormats, checkPairs } from "../src/preflight/layout.js";

const ROOT = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const BUCKET = "bench";
const IMAGES = "datasets/city/train/";
const ANNOTATIONS = "datasets/city/train_annotation/";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** The seeded moto server (a Python process of its own), ready to serve. */
async function startServer(): Promise<{ endpoint: string; seeded: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn("python3", [`${ROOT}test/kit/moto_seeded.py`, String(port)], { env: { ...process.env, AWS_PROFILE: undefined } });
  child.stdin.end(
    JSON.stringify([
      { bucket: BUCKET, key: `${IMAGES}frame-{:06d}.jpg`, count: OBJECTS },
      { bucket: BUCKET, key: `${ANNOTATIONS}frame-{:06d}.png`, count: OBJECTS },
    ]),
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) resolve();
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`moto_seeded.py exited (${code}):\n${output}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, seeded: /seeded .*/.exec(output)?.[0] ?? "", stop: () => child.kill("SIGTERM") };
}

interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function floor(client: S3Client, prefix: string): Promise<number> {
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, MaxKeys: 1000, ContinuationToken: token }));
    pages++;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return pages;
}

const server = await startServer();
try {
  const client = new S3Client({
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const reader = createS3Reader(client);
  // Alternate the two, best of RUNS each: moto's speed drifts with the machine's load.
  const bares: Timed<number>[] = [];
  const lists: Timed<PrefixListing>[] = [];
  for (let run = 0; run < RUNS; run++) {
    bares.push(await timed(() => floor(client, IMAGES)));
    lists.push(await timed(() => reader.listPrefix(BUCKET, IMAGES, { maxObjects: 10_000_000 })));
  }
  const fastest = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const bare = fastest(bares);
  const listed = fastest(lists);
  const annotations = await reader.listPrefix(BUCKET, ANNOTATIONS, { maxObjects: 10_000_000 });
  const checks = await timed(async () => [
    checkFormats(`s3://${BUCKET}/${IMAGES}`, ["train"], "images", listed.value),
    checkFormats(`s3://${BUCKET}/${ANNOTATIONS}`, ["train_annotation"], "annotations", annotations),
    checkPairs({ uri: IMAGES, listing: listed.value }, { uri: ANNOTATIONS, listing: annotations }, "train"),
  ]);
  if (checks.value.some((check) => check.status !== "pass")) throw new Error(`unexpected: ${JSON.stringify(checks.value)}`);
  const pages = listed.value.pages;
  const ratio = listed.seconds / bare.seconds;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `preflight listing of ${listed.value.objects.length.toLocaleString("en-US")} objects under one prefix (moto, ${server.seeded})`,
  );
  console.log(
    `  floor:     ${bare.seconds.toFixed(1)} s for ${bare.value} pages (${((bare.seconds / bare.value) * 1000).toFixed(0)} ms a page), client CPU ${((bare.cpuSeconds / bare.value) * 1000).toFixed(1)} ms a page; bare ListObjectsV2 loop, best of ${RUNS}`,
  );
  console.log(
    `  preflight: ${listed.seconds.toFixed(1)} s for ${pages} pages (${((listed.seconds / pages) * 1000).toFixed(0)} ms a page), client CPU ${((listed.cpuSeconds / pages) * 1000).toFixed(1)} ms a page; best of ${RUNS}`,
  );
  console.log(`  ratio:     ${ratio.toFixed(2)}x the floor   (target <= 1.2x)`);
  console.log(
    `  checks:    formats of 2 x ${OBJECTS.toLocaleString("en-US")} objects and their pairs in ${(checks.cpuSeconds * 1000).toFixed(0)} ms CPU   (target < 1 s)`,
  );
  console.log(`  peak RSS:  ${rssMb.toFixed(0)} MB   (target < 300 MB)`);
  const ok = ratio <= 1.2 && checks.cpuSeconds < 1 && rssMb < 300;
  console.log(ok ? "all targets met" : "TARGET MISSED");
  process.exitCode = ok ? 0 : 1;
} finally {
  server.stop();
}
