import { UserError } from "../errors.js";
import type { Command } from "../io.js";

/** Placeholder while the command is being built (replaced before this lands). */
export const report: Command = async () => {
  throw new UserError("segsweep report: not built yet");
};
