import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { InfraConfigError, InfraConfigSchema, parseInfraConfig } from "../../src/infra/config.js";

/** Stack configuration: defaults, Pulumi.yaml kept in step with the schema, and clear errors. */

const ROOT = join(import.meta.dirname, "..", "..");
const parse = (raw: Record<string, string>, region = "us-east-1") => parseInfraConfig("segsweep", raw, region);
/** The error message for `raw` in `region` (null: no region set). */
const problems = (raw: Record<string, string>, region: string | null = "us-east-1"): string => {
  try {
    parseInfraConfig("segsweep", raw, region ?? undefined);
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

/** Pulumi passes structured and typed values to the program as JSON strings. */
const asPulumiPasses = (values: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));

describe("defaults", () => {
  it("need nothing but a supported region", () => {
    expect(parse({})).toEqual({
      region: "us-east-1",
      forceDestroy: false,
      instanceTypes: ["ml.p3.2xlarge", "ml.g4dn.xlarge", "ml.g5.xlarge"],
      quotas: {},
      totalTrainingInstancesQuota: 0,
      maxRuntimeSeconds: 86_400,
      maxKeepAliveSeconds: 0,
      checkpointExpirationDays: 14,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadDays: 7,
      createKmsKey: false,
      events: true,
      requireVpc: false,
      serverSideCampaigns: false,
      operatorPrincipals: [],
      tags: {},
    });
  });
});

describe("Pulumi.yaml", () => {
  const project = parseYaml(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
    name: string;
    main: string;
    runtime: { name: string; options: { typescript: boolean } };
    config: Record<string, { type: string; default: unknown; description: string }>;
  };
  const text = readFileSync(join(ROOT, "Pulumi.yaml"), "utf8");

  it("documents every key, with the schema's defaults", () => {
    const keys = Object.keys(InfraConfigSchema.shape).sort();
    const declared = Object.keys(project.config);
    // No object type in Pulumi's config schema: quotas and tags are documented in comments.
    expect([...declared, "quotas", "tags"].sort()).toEqual(keys);
    for (const key of ["segsweep:quotas", "segsweep:tags"]) expect(text).toContain(`# ${key}`);
    for (const [key, declaration] of Object.entries(project.config)) {
      expect(declaration.description, key).toBeTruthy();
      expect(declaration.default, `${key} needs a default, or Pulumi requires it on every stack`).toBeDefined();
    }
    const fromYamlDefaults = parse(asPulumiPasses(Object.fromEntries(Object.entries(project.config).map(([key, d]) => [key, d.default]))));
    expect(fromYamlDefaults).toEqual(parse({}));
  });

  it("runs the compiled program that the build writes", () => {
    expect(project.name).toBe("segsweep");
    expect(project.runtime).toMatchObject({ name: "nodejs", options: { typescript: false } });
    const build = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8")) as { include: string[]; extends: string };
    const base = JSON.parse(readFileSync(join(ROOT, build.extends), "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(build.include).toContain("index.ts");
    expect(base.compilerOptions).toMatchObject({ outDir: "dist", rootDir: "." });
    expect(project.main).toBe("dist/index.js");
  });

  it("ships an example of a stack's settings that validates, under a name no stack adopts by accident", () => {
    // Pulumi reads Pulumi.<stack>.yaml: the README's `pulumi stack init dev` must start clean, not
    // with the example's quota increase requests (real support cases), tags and 12 h cap.
    // A deployer's own Pulumi.<stack>.yaml may sit untracked in a clone; only the example is committed.
    const tracked = execFileSync("git", ["ls-files", "Pulumi.*.yaml"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(tracked).toEqual(["Pulumi.example.yaml"]);
    const stack = parseYaml(readFileSync(join(ROOT, "Pulumi.example.yaml"), "utf8")) as { config: Record<string, unknown> };
    const raw = Object.fromEntries(
      Object.entries(stack.config)
        .filter(([key]) => key.startsWith("segsweep:"))
        .map(([key, value]) => [key.slice("segsweep:".length), value]),
    );
    const config = parse(asPulumiPasses(raw), String(stack.config["aws:region"]));
    expect(config.quotas).toEqual({ "ml.g5.xlarge": { onDemand: 2, spot: 4 } });
  });
});

describe("errors name the key, the value given and what is allowed", () => {
  it.each([
    [
      "a misspelt key",
      { instanceType: '["ml.g5.xlarge"]' },
      /segsweep: unknown key\(s\) segsweep:instanceType; known keys: bucketName, .*instanceTypes/,
    ],
    [
      "a non-GPU instance type",
      { instanceTypes: '["ml.g5.xlarge","ml.m5.xlarge"]' },
      /segsweep:instanceTypes\[1\]: a GPU training instance type .*ml\.p3\.2xlarge.*\(got "ml\.m5\.xlarge"\)/,
    ],
    ["an empty instance list", { instanceTypes: "[]" }, /segsweep:instanceTypes: at least one GPU instance type/],
    ["a run time that is not a number", { maxRuntimeSeconds: "one day" }, /segsweep:maxRuntimeSeconds: .*number.*\(got "one day"\)/],
    [
      "a run time over SageMaker's 28 days",
      { maxRuntimeSeconds: "2419201" },
      /segsweep:maxRuntimeSeconds: at most 2419200 \(28 days.*\(got 2419201\)/,
    ],
    ["a fractional day count", { checkpointExpirationDays: "1.5" }, /segsweep:checkpointExpirationDays: .*int.*\(got 1\.5\)/],
    [
      "a key and a created key",
      { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/abc-123", createKmsKey: "true" },
      /segsweep:createKmsKey: set either kmsKeyArn .* not both/,
    ],
    ["a malformed key ARN", { kmsKeyArn: "alias/mine" }, /segsweep:kmsKeyArn: a KMS key ARN .*\(got "alias\/mine"\)/],
    [
      "a quota for an unlisted type",
      { quotas: '{"ml.g5.2xlarge":{"spot":2}}' },
      /segsweep:quotas\["ml\.g5\.2xlarge"\]: a quota for an instance type that is not in instanceTypes/,
    ],
    ["a zero quota", { quotas: '{"ml.g5.xlarge":{"spot":0}}' }, /segsweep:quotas\["ml\.g5\.xlarge"\]\["spot"\]: at least 1 instance/],
    ["a misspelt quota field", { quotas: '{"ml.g5.xlarge":{"ondemand":2}}' }, /segsweep:quotas\["ml\.g5\.xlarge"\]: .*ondemand/],
    ["a bucket name with capitals", { bucketName: "My_Bucket" }, /segsweep:bucketName: 3-63 lowercase letters.*\(got "My_Bucket"\)/],
    [
      "a principal that is neither an account nor an ARN",
      { operatorPrincipals: '["alice"]' },
      /segsweep:operatorPrincipals\[0\]: a 12-digit account id or an IAM principal ARN/,
    ],
    [
      "a reserved tag key",
      { tags: '{"aws:owner":"me"}' },
      /segsweep:tags\["aws:owner"\]: invalid key: keys starting with aws: are reserved by AWS \(got "aws:owner"\)/,
    ],
  ])("%s", (_name, raw, message) => {
    expect(problems(raw)).toMatch(message);
  });

  it("refuses a region without the algorithm and lists the supported ones", () => {
    expect(problems({}, "ap-southeast-5")).toMatch(
      /aws:region: .*not available in "ap-southeast-5"\. Choose one of: af-south-1, .*us-east-1, .*us-west-2\./,
    );
  });

  it("asks for a region when none is set", () => {
    expect(problems({}, null)).toMatch(/aws:region: not set\. Set it with: pulumi config set aws:region us-east-1/);
  });

  it("reports every problem at once, with how to fix them", () => {
    const message = problems({ maxRuntimeSeconds: "0", events: "maybe" }, "mars-1");
    expect(message.split("\n").filter((line) => line.startsWith("  ✖"))).toHaveLength(3);
    expect(message).toMatch(/pulumi config set <key> <value>/);
  });

  it("treats Pulumi.yaml's empty-string defaults as unset", () => {
    const config = parse({ bucketName: "", kmsKeyArn: "" });
    expect(config.bucketName).toBeUndefined();
    expect(config.kmsKeyArn).toBeUndefined();
  });
});

describe("module boundary", () => {
  it("nothing under src/ but src/infra loads the Pulumi program or @pulumi/aws", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== join(ROOT, "src", "infra")) walk(path);
        } else if (entry.name.endsWith(".ts")) {
          const source = readFileSync(path, "utf8");
          if (/from\s+["'](@pulumi\/aws|[./]+\/infra\/[^"']*)["']|import\(["'][./]+\/infra\//.test(source))
            offenders.push(relative(ROOT, path));
        }
      }
    };
    walk(join(ROOT, "src"));
    expect(offenders).toEqual([]);
  });
});
