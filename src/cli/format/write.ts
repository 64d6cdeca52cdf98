import { UserError } from "../../errors.js";

/** What `writeChunks` writes to: a process stream, or a test's capture (write only). */
export interface ChunkSink {
  write(text: string): unknown;
}

type Events = {
  on?: (event: string, listener: (error: NodeJS.ErrnoException) => void) => unknown;
  once?: (event: string, listener: () => void) => unknown;
  off?: (event: string, listener: () => void) => unknown;
};

/**
 * Writes text produced in chunks to a stream in batches of about 64 KiB, waiting for `drain` when
 * the stream asks to (a slow pipe), so that memory stays bounded whatever the size of the output.
 * Stops quietly when the reader has gone (`segsweep plan x --format csv | head`: EPIPE), as
 * command-line tools do. Returns false when it stopped early.
 */
export async function writeChunks(stream: ChunkSink, chunks: Iterable<string>): Promise<boolean> {
  const events = stream as ChunkSink & Events;
  let gone = false;
  let failure: Error | undefined;
  // Kept for good: a write error can arrive after the last write, and an unheard one would crash.
  events.on?.call(stream, "error", (error) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") gone = true;
    else failure ??= error;
  });
  const check = (): boolean => {
    if (failure) throw new UserError(`cannot write the output: ${failure.message}`);
    return gone;
  };
  const BATCH = 65_536;
  let pending = "";
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length < BATCH) continue;
    await write(events, pending);
    pending = "";
    if (check()) return false;
  }
  if (pending !== "") await write(events, pending);
  return !check();
}

async function write(stream: ChunkSink & Events, text: string): Promise<void> {
  const more = stream.write(text);
  if (more === false && typeof stream.once === "function") {
    // One listener at a time: both are removed once either fires, or they pile up (MaxListenersExceededWarning).
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off?.call(stream, "drain", done);
        stream.off?.call(stream, "close", done);
        resolve();
      };
      stream.once?.call(stream, "drain", done);
      stream.once?.call(stream, "close", done);
    });
  } else if (typeof stream.on === "function") {
    // Let a write error reach its listener before the next batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
