import { bucketArn, type PolicyDocument, policyDocument } from "./document.js";

/**
 * The bucket policy: deny every request that does not use TLS, and TLS older than 1.2 (AWS Config
 * rule s3-bucket-ssl-requests-only, CIS AWS 3.1.1; repost.aws/knowledge-center/s3-bucket-policy-for-config-rule).
 * Grants nothing: access comes from the identity policies of the training role and the operators.
 */
export function bucketPolicy(partition: string, bucketName: string): PolicyDocument {
  const resources = [bucketArn(partition, bucketName), `${bucketArn(partition, bucketName)}/*`];
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ]);
}
