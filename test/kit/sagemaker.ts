import type { Clock } from "../../src/backend/clock.js";
import type { JobDetails } from "../../src/backend/types.js";
import { sageMakerWith as holding } from "../../src/standin/in-memory.js";
import { createFakeClock } from "./clock.js";

/** The tests' one in-memory backend: the stand-in's in-memory SageMaker (src/standin/in-memory.ts). */
export { type FakeJob, type FakeOutcome, InMemorySageMaker, seededRandom } from "../../src/standin/in-memory.js";

/** An in-memory SageMaker holding exactly these jobs (as a test put them), on a fake clock unless told. */
export function sageMakerWith(jobs: readonly JobDetails[], clock: Clock = createFakeClock()): ReturnType<typeof holding> {
  return holding(jobs, clock);
}
