/**
 * Registry accounts of the built-in semantic segmentation image, per region.
 * Source: aws/sagemaker-python-sdk, sagemaker-core/src/sagemaker/core/image_uri_config/
 * semantic-segmentation.json (repository `semantic-segmentation`, version `1`), Apache-2.0;
 * listed in docs/sources.md#algorithm.
 */
export const SEMANTIC_SEGMENTATION_REGISTRIES: Readonly<Record<string, string>> = {
  "af-south-1": "455444449433",
  "ap-east-1": "286214385809",
  "ap-northeast-1": "501404015308",
  "ap-northeast-2": "306986355934",
  "ap-northeast-3": "867004704886",
  "ap-south-1": "991648021394",
  "ap-south-2": "628508329040",
  "ap-southeast-1": "475088953585",
  "ap-southeast-2": "544295431143",
  "ap-southeast-3": "951798379941",
  "ap-southeast-4": "106583098589",
  "ca-central-1": "469771592824",
  "ca-west-1": "190319476487",
  "cn-north-1": "390948362332",
  "cn-northwest-1": "387376663083",
  "eu-central-1": "813361260812",
  "eu-central-2": "680994064768",
  "eu-north-1": "669576153137",
  "eu-south-1": "257386234256",
  "eu-south-2": "104374241257",
  "eu-west-1": "685385470294",
  "eu-west-2": "644912444149",
  "eu-west-3": "749696950732",
  "il-central-1": "898809789911",
  "me-central-1": "272398656194",
  "me-south-1": "249704162688",
  "sa-east-1": "855470959533",
  "us-east-1": "811284229777",
  "us-east-2": "825641698319",
  "us-gov-east-1": "237065988967",
  "us-gov-west-1": "226302683700",
  "us-iso-east-1": "490574956308",
  "us-isob-east-1": "765400339828",
  "us-isof-east-1": "108575199400",
  "us-isof-south-1": "124985052026",
  "us-west-1": "632365934929",
  "us-west-2": "433757028032",
};

/** Regions where the algorithm's image is published, sorted. */
export const SEMANTIC_SEGMENTATION_REGIONS: readonly string[] = Object.keys(SEMANTIC_SEGMENTATION_REGISTRIES).sort();

/** DNS suffix of a region's ECR endpoint: China regions use amazonaws.com.cn (SDK common_utils.py). */
function ecrDomain(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The training image URI of the semantic segmentation algorithm in `region`,
 * `<account>.dkr.ecr.<region>.<domain>/semantic-segmentation:1`.
 * Throws for a region where the algorithm is not published: launching there would fail later and less clearly.
 */
export function semanticSegmentationImage(region: string): string {
  const account = SEMANTIC_SEGMENTATION_REGISTRIES[region];
  if (account === undefined) {
    throw new Error(
      `The SageMaker semantic segmentation algorithm is not available in region "${region}". ` +
        `Choose one of: ${SEMANTIC_SEGMENTATION_REGIONS.join(", ")}.`,
    );
  }
  return `${account}.dkr.ecr.${region}.${ecrDomain(region)}/semantic-segmentation:1`;
}
