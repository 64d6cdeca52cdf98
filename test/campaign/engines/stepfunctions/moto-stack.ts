import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { STACK } from "./fixtures.js";

const REGION = "us-east-1";
const credentials = { accessKeyId: "AKIDSEGSWEEPTEST", secretAccessKey: "segsweep-test-secret" };

/** What the stack provides for server-side campaigns, made on moto: the clients, the bucket, the state machine. */
export interface MotoCampaignStack {
  readonly sfn: SFNClient;
  readonly s3: S3Client;
  readonly stateMachineArn: string;
}

/** On the moto server at `endpoint`: the stack's bucket (STACK.bucketName) and the campaigns' state machine running `definition`. */
export async function motoCampaignStack(endpoint: string, definition: unknown): Promise<MotoCampaignStack> {
  const sfn = new SFNClient({ region: REGION, endpoint, credentials });
  const s3 = new S3Client({ region: REGION, endpoint, credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: STACK.bucketName }));
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: "segsweep-campaigns",
      definition: JSON.stringify(definition),
      roleArn: "arn:aws:iam::123456789012:role/segsweep-campaigns",
    }),
  );
  return { sfn, s3, stateMachineArn: created.stateMachineArn ?? "" };
}
