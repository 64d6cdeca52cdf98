import type { StackOutputsSource } from "../../stack/read.js";
import { type HintContext, repeatedFlags } from "../format/hint.js";
import { segsweepInvocation } from "../invocation.js";
import type { CliIO } from "../io.js";

/** The context of every command a command suggests: how to run segsweep here, and the flags the user gave. */
export function hintContext(
  io: Pick<CliIO, "env">,
  given: { readonly stack?: string | undefined; readonly "stack-outputs"?: string | undefined; readonly simulate?: boolean | undefined },
): HintContext {
  return {
    program: segsweepInvocation(io.env),
    flags: repeatedFlags({ stack: given.stack, stackOutputs: given["stack-outputs"], simulate: given.simulate }),
  };
}

/** The same, from `launch`'s parsed flags. */
export function launchHintContext(
  io: Pick<CliIO, "env">,
  flags: { readonly stackSource: StackOutputsSource; readonly simulate: boolean },
): HintContext {
  const source = flags.stackSource;
  return hintContext(io, {
    ...("file" in source ? { "stack-outputs": source.file } : { stack: source.stack }),
    simulate: flags.simulate,
  });
}
