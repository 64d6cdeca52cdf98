import { UserError } from "../errors.js";
import type { Command } from "../io.js";

/** Placeholder while the command is being built (replaced before this lands). */
export const plan: Command = async () => {
  throw new UserError("segsweep plan: not built yet");
};
