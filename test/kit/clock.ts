/** The tests' one fake clock: the stand-in's discrete-event clock (src/standin/event-clock.ts). */
export { createFakeClock, type FakeClock, type FakeClockOptions } from "../../src/standin/event-clock.js";
