import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { readStackOutputs } from "../../src/stack/read.js";
import { STACK } from "../kit/stack.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "segsweep-stack-"));
}

async function userError(promise: Promise<unknown>): Promise<string> {
  const failure = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(failure).toBeInstanceOf(UserError);
  return (failure as UserError).message;
}

describe("reading the stack outputs", () => {
  it("reads the JSON of `pulumi stack output --json` from a file, relative to the working directory", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "outputs.json"), JSON.stringify({ ...STACK, someOtherOutput: "ignored" }));
    await expect(readStackOutputs({ file: "outputs.json" }, { cwd: dir })).resolves.toEqual(STACK);
  });

  it("names the file and each bad field, without printing the values", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "outputs.json"), JSON.stringify({ ...STACK, trainingRoleArn: "super-secret-value", datasetsUri: undefined }));
    const message = await userError(readStackOutputs({ file: "outputs.json" }, { cwd: dir }));
    expect(message).toMatch(/^outputs\.json: the stack outputs are not what segsweep expects/);
    expect(message).toMatch(/✖ trainingRoleArn: an IAM role ARN/);
    expect(message).toMatch(/✖ datasetsUri: missing/);
    expect(message).not.toMatch(/super-secret-value/);
  });

  it("says how to write the file when it is missing, and when it is not JSON", async () => {
    const dir = tempDir();
    expect(await userError(readStackOutputs({ file: "nope.json" }, { cwd: dir }))).toMatch(/pulumi stack output --json > nope\.json/);
    writeFileSync(join(dir, "bad.json"), "Current stack is dev:\n");
    expect(await userError(readStackOutputs({ file: "bad.json" }, { cwd: dir }))).toMatch(/bad\.json: not JSON/);
  });

  it("runs `pulumi stack output --json --stack NAME` when the Pulumi CLI is installed", async () => {
    const bin = tempDir();
    const argsFile = join(bin, "args");
    writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho "$@" > ${argsFile}\ncat <<'JSON'\n${JSON.stringify(STACK)}\nJSON\n`);
    chmodSync(join(bin, "pulumi"), 0o755);
    const outputs = await readStackOutputs({ stack: "dev" }, { cwd: bin, env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(outputs).toEqual(STACK);
    expect(readFileSync(argsFile, "utf8").trim()).toBe("stack output --json --stack dev");
  });

  it("explains what to do when the Pulumi CLI is not installed", async () => {
    const empty = tempDir();
    const message = await userError(readStackOutputs({ stack: "dev" }, { cwd: empty, env: { PATH: empty } }));
    expect(message).toMatch(/Pulumi CLI is not installed/);
    expect(message).toMatch(/--stack-outputs stack-outputs\.json/);
  });

  it("passes on Pulumi's own complaint when the command fails", async () => {
    const bin = tempDir();
    writeFileSync(join(bin, "pulumi"), "#!/bin/sh\necho 'error: no stack named dev found' >&2\nexit 255\n");
    chmodSync(join(bin, "pulumi"), 0o755);
    const message = await userError(readStackOutputs({ stack: "dev" }, { cwd: bin, env: { PATH: `${bin}:/usr/bin:/bin` } }));
    expect(message).toMatch(/no stack named dev found/);
  });
});
