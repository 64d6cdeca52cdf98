/**
 * The stand-in for bench/launch.ts, in its own process, so the launcher's CPU time and memory are
 * measured alone. It runs on the same scaled clock as the launcher (same origin and scale over the
 * shared system clock). Speaks over IPC: sends {ready, endpoint, queueUrl}; answers "stats".
 */
import { type StandinOptions, startStandin } from "../../src/standin/index.js";

interface Config {
  readonly origin: number;
  readonly scale: number;
  readonly options: Omit<StandinOptions, "clock">;
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const clock = { now: () => config.origin + (Date.now() - config.origin) * config.scale };
const standin = await startStandin({ ...config.options, clock });
process.send?.({ type: "ready", endpoint: standin.endpoint, queueUrl: standin.queueUrl });
process.on("message", (message: { type: string }) => {
  if (message.type === "stats") process.send?.({ type: "stats", stats: standin.stats() });
  if (message.type === "close") void standin.close().then(() => process.exit(0));
});
