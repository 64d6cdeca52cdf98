import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { hintCommand, repeatedFlags, shellWord } from "../../../src/cli/format/hint.js";
import { chooseInvocation, segsweepOnPath } from "../../../src/cli/invocation.js";

describe("the commands segsweep suggests", () => {
  it("keep the stack the user chose and --simulate, after the file and the command's own options", () => {
    const context = { program: "npx segsweep", flags: repeatedFlags({ stackOutputs: "out.json", simulate: true }) };
    expect(hintCommand(context, "status", "sweeps/quickstart.yaml", ["--watch"])).toBe(
      "npx segsweep status sweeps/quickstart.yaml --watch --stack-outputs out.json --simulate",
    );
    expect(repeatedFlags({ stack: "dev" })).toEqual(["--stack", "dev"]);
    expect(repeatedFlags({})).toEqual([]);
  });

  it("quote what a shell would split or expand, so the command works when pasted", () => {
    expect(shellWord("sweeps/my sweep.yaml")).toBe("'sweeps/my sweep.yaml'");
    expect(shellWord("it's.yaml")).toBe(`'it'\\''s.yaml'`);
    expect(shellWord("$HOME.yaml")).toBe("'$HOME.yaml'");
    expect(shellWord("sweeps/a-b_c.yaml")).toBe("sweeps/a-b_c.yaml");
  });
});

describe("segsweep or npx segsweep", () => {
  it("is segsweep only when the program running is the segsweep on PATH", () => {
    expect(chooseInvocation("/usr/lib/node_modules/segsweep/bin/segsweep.js", "/usr/lib/node_modules/segsweep/bin/segsweep.js")).toBe(
      "segsweep",
    );
    expect(chooseInvocation("/home/me/segsweep/bin/segsweep.js", "/usr/lib/node_modules/segsweep/bin/segsweep.js")).toBe("npx segsweep");
    expect(chooseInvocation("/home/me/segsweep/bin/segsweep.js", undefined)).toBe("npx segsweep");
    expect(chooseInvocation(undefined, undefined)).toBe("npx segsweep");
  });

  it("finds the first segsweep on PATH through its links (as npm installs a bin)", () => {
    const root = mkdtempSync(join(tmpdir(), "segsweep-path-"));
    const bin = join(root, "lib", "bin", "segsweep.js");
    mkdirSync(join(root, "lib", "bin"), { recursive: true });
    mkdirSync(join(root, "empty"));
    mkdirSync(join(root, "global"));
    writeFileSync(bin, "#!/usr/bin/env node\n");
    chmodSync(bin, 0o755);
    symlinkSync(bin, join(root, "global", "segsweep"));
    expect(segsweepOnPath([join(root, "empty"), "", join(root, "global")].join(delimiter))).toBe(bin);
    expect(segsweepOnPath(join(root, "empty"))).toBeUndefined();
    expect(segsweepOnPath(undefined)).toBeUndefined();
  });
});
