import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TRAINING_JOB_NAME_MAX } from "../../src/catalog/sagemaker-api.js";
import {
  attemptName,
  CAMPAIGN_NAME_LIMIT,
  campaignPrefix,
  isCampaignJobName,
  JOB_NAME_PATTERN,
  MAX_ATTEMPT,
  POINT_ID_HEX,
  parseJobName,
  plannedJobName,
} from "../../src/plan/job-name.js";
import { CAMPAIGN_NAME_MAX, CampaignName } from "../../src/sweep/definition.js";

/** Every campaign name the sweep schema accepts: lowercase letters, digits, single hyphens, at most CAMPAIGN_NAME_MAX. */
const campaignNames = fc.stringMatching(/^[a-z0-9](-?[a-z0-9]){0,60}$/).filter((name) => CampaignName.safeParse(name).success);
const pointIds = fc.stringMatching(new RegExp(`^[0-9a-f]{${POINT_ID_HEX}}$`));
const attempts = fc.integer({ min: 0, max: MAX_ATTEMPT });

describe("job names", () => {
  it("leave room for every attempt of the longest campaign name the sweep schema accepts", () => {
    expect(CAMPAIGN_NAME_MAX).toBeLessThanOrEqual(CAMPAIGN_NAME_LIMIT);
    expect(CAMPAIGN_NAME_LIMIT + `-${"0".repeat(POINT_ID_HEX)}-r${MAX_ATTEMPT}`.length).toBe(TRAINING_JOB_NAME_MAX);
  });

  it("of every attempt of every valid campaign fit SageMaker's 63 characters and pattern, and parse back", () => {
    fc.assert(
      fc.property(campaignNames, pointIds, attempts, (campaign, pointId, attempt) => {
        const planned = plannedJobName(campaign, pointId);
        const name = attemptName(planned, attempt);
        expect(name.length).toBeLessThanOrEqual(TRAINING_JOB_NAME_MAX);
        expect(name).toMatch(JOB_NAME_PATTERN);
        expect(name.startsWith(campaignPrefix(campaign))).toBe(true);
        expect(parseJobName(name)).toEqual({ plannedName: planned, pointId, attempt });
        expect(isCampaignJobName(campaign, name)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("are not claimed by a campaign whose name merely starts them", () => {
    fc.assert(
      fc.property(campaignNames, campaignNames, pointIds, attempts, (campaign, extra, pointId, attempt) => {
        const other = `${campaign}-${extra}`;
        expect(isCampaignJobName(campaign, attemptName(plannedJobName(other, pointId), attempt))).toBe(false);
      }),
    );
  });

  it.each([
    "seg-0123456789ab-r0",
    "seg-0123456789ab-r05",
    "seg-0123456789ab-r100",
    "seg-0123456789AB",
    "seg-0123456789a",
    "tuning-job-001-abcdef12",
  ])("does not read %s as an attempt of a planned job", (name) => {
    expect(parseJobName(name)).toBeUndefined();
  });

  it("refuses attempt numbers that no name can carry", () => {
    expect(() => attemptName("seg-0123456789ab", MAX_ATTEMPT + 1)).toThrow(RangeError);
    expect(() => attemptName("seg-0123456789ab", -1)).toThrow(RangeError);
  });
});
