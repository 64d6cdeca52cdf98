import { describe, expect, it } from "vitest";
import { BackendError } from "../../../src/backend/types.js";
import { createPreflightCommand } from "../../../src/cli/commands/preflight.js";
import { UserError } from "../../../src/errors.js";
import { captureIO } from "../../kit/cli.js";
import { planOf, stackOn, sweepYaml } from "../../preflight/kit.js";

/** preflight asks who and where as launch does (backend/identity.ts), and advises on an STS refusal as launch does. */
describe("segsweep preflight's identity", () => {
  it("turns an STS refusal into the advice launch gives", async () => {
    const plan = await planOf(sweepYaml({ name: "pf-identity" }));
    const command = createPreflightCommand({
      planSweepFile: async () => ({ ok: true, plan }),
      readStackOutputs: async () => stackOn("pf-identity"),
      openClients: async () => {
        throw new Error("not reached: the identity comes first");
      },
      callerIdentity: async () => {
        throw new BackendError("access-denied", "The security token included in the request is invalid.", "InvalidClientTokenId");
      },
    });
    const out = captureIO();
    const refusal = command(["s.yaml", "--stack", "dev"], out.io);
    await expect(refusal).rejects.toThrow(UserError);
    await expect(refusal).rejects.toThrow(
      "Could not find out which AWS account the credentials reach: STS said InvalidClientTokenId: The security token included in the request is invalid.\n" +
        "Check the AWS credentials (AWS_PROFILE)",
    );
  });
});
