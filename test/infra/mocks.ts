import * as pulumi from "@pulumi/pulumi";

/**
 * Recording Pulumi mocks: every registered resource is kept with its inputs, every invoke the
 * program makes must be one of the few it is known to need (anything else throws, so a new
 * data-source call cannot slip in unmocked), and computed outputs (ARNs, names, URLs) look like
 * AWS's so the stack-output schema can check them.
 */

export const ACCOUNT_ID = "123456789012";

/** One `new aws.X(...)` the program made, with the resource options the engine would see. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** URN of the parent ("" for none). */
  readonly parent: string;
  /** URNs of the resources it depends on (dependsOn and inputs). */
  readonly dependencies: readonly string[];
  readonly retainOnDelete: boolean;
}

/** What the registration request carries beside the inputs (the mocks' newResource never sees it). */
interface RegistrationOptions {
  readonly parent: string;
  readonly dependencies: readonly string[];
  readonly retainOnDelete: boolean;
}

interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getRetainondelete(): boolean;
}

/** One data-source call the program made. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** The availability zones the zone lookup returns (suffixes of the region). */
export const AVAILABILITY_ZONES = ["a", "b", "c"];

/** The prefix list id of the fake S3 gateway endpoint. */
export const S3_PREFIX_LIST = "pl-63a5400a";

/** An EC2-style id (`subnet-0123...`) derived from a resource name, stable across runs. */
export function fakeEc2Id(prefix: string, name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `${prefix}-0${hash.toString(16).padStart(16, "0").slice(-16)}`;
}

/** The fake quota code the service-quotas lookup returns for a quota name. */
export function fakeQuotaCode(quotaName: string): string {
  let hash = 0;
  for (const char of quotaName) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `L-${hash.toString(16).toUpperCase().padStart(8, "0")}`;
}

export interface Recorder {
  readonly mocks: pulumi.runtime.Mocks;
  /** setMocks, then wraps the mock monitor so each registration's options are recorded too. */
  install(project: string, stack: string): Promise<void>;
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
  /** The region the fake ARNs name (set it to the stack's aws:region). */
  region: string;
  clear(): void;
  /** Holds back the registration of resources of `type` until the returned function is called. */
  hold(type: string): () => void;
}

export function createRecorder(): Recorder {
  const options = new Map<string, RegistrationOptions>();
  const gates = new Map<string, Promise<void>>();
  const recorder: Recorder = {
    async install(project, stack) {
      await pulumi.runtime.setMocks(recorder.mocks, project, stack, false);
      const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterResourceRequest, callback: unknown): void };
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req, callback) => {
        options.set(`${req.getType()}::${req.getName()}`, {
          parent: req.getParent(),
          dependencies: req.getDependenciesList(),
          retainOnDelete: req.getRetainondelete(),
        });
        register(req, callback);
      };
    },
    resources: [],
    calls: [],
    region: "us-east-1",
    hold(type) {
      let release!: () => void;
      gates.set(type, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        gates.delete(type);
        release();
      };
    },
    clear() {
      recorder.resources.length = 0;
      recorder.calls.length = 0;
    },
    mocks: {
      async newResource({ type, name, inputs }) {
        await gates.get(type);
        const registration = options.get(`${type}::${name}`) ?? { parent: "", dependencies: [], retainOnDelete: false };
        recorder.resources.push({ type, name, inputs, ...registration });
        return { id: idOf(type, name, inputs, recorder.region), state: { ...inputs, ...computed(type, name, inputs, recorder.region) } };
      },
      call({ token, inputs }) {
        recorder.calls.push({ token, inputs });
        switch (token) {
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
          case "aws:servicequotas/getServiceQuota:getServiceQuota": {
            const quotaName = String(inputs.quotaName);
            return {
              quotaName,
              quotaCode: fakeQuotaCode(quotaName),
              serviceCode: inputs.serviceCode,
              serviceName: "Amazon SageMaker",
              value: 0,
              adjustable: true,
              defaultValue: 0,
              globalQuota: false,
              id: quotaName,
            };
          }
          case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
              names: AVAILABILITY_ZONES.map((z) => `${recorder.region}${z}`),
              zoneIds: AVAILABILITY_ZONES.map((_, i) => `use1-az${i + 1}`),
              id: recorder.region,
            };
          case "aws:ec2/getVpcEndpointService:getVpcEndpointService":
            return { serviceName: `com.amazonaws.${recorder.region}.s3`, serviceType: "Gateway", id: "s3" };
          default:
            throw new Error(`unmocked invoke ${token}: add it to test/infra/mocks.ts if the program really needs it`);
        }
      },
    },
  };
  return recorder;
}

function idOf(type: string, name: string, inputs: Record<string, unknown>, region: string): string {
  if (type === "aws:s3/bucket:Bucket") return bucketName(name, inputs);
  if (type === "aws:sqs/queue:Queue") return queueUrl(name, region);
  const ec2Prefix = EC2_ID_PREFIXES[type];
  if (ec2Prefix !== undefined) return fakeEc2Id(ec2Prefix, name);
  return `${name}-id`;
}

const EC2_ID_PREFIXES: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
};

function bucketName(name: string, inputs: Record<string, unknown>): string {
  return typeof inputs.bucket === "string" ? inputs.bucket : `${name}-a1b2c3d`;
}

function queueUrl(name: string, region: string): string {
  return `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${name}`;
}

function computed(type: string, name: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = bucketName(name, inputs);
      return { bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:iam/role:Role":
      return { name: `${name}-1234567`, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-1234567` };
    case "aws:iam/policy:Policy":
      return { name: `${name}-1234567`, arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}-1234567` };
    case "aws:sqs/queue:Queue":
      return { name, arn: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`, url: queueUrl(name, region) };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name, arn: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${name}` };
    case "aws:sfn/stateMachine:StateMachine":
      return { arn: `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:${String(inputs.name)}` };
    case "aws:ec2/vpc:Vpc":
      return { arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:vpc/${fakeEc2Id("vpc", name)}` };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { prefixListId: S3_PREFIX_LIST };
    case "aws:kms/key:Key":
      return {
        arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`,
        keyId: "11111111-2222-3333-4444-555555555555",
      };
    default:
      return {};
  }
}

/** Resolves an Output in a test (mocks never run in preview, so apply always runs). */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/**
 * Waits until every resource registration the program started has reached the mocks. Uses the
 * SDK's own queue drain (runtime/settings.ts waitForRPCs, marked internal, so reached untyped).
 */
export async function settled(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (runtime.waitForRPCs === undefined)
    throw new Error("@pulumi/pulumi no longer exposes runtime.waitForRPCs; update test/infra/mocks.ts");
  await runtime.waitForRPCs();
}
