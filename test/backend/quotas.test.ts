import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { afterEach, describe, expect, it } from "vitest";
import { createQuotaReader, SAGEMAKER_SERVICE_CODE } from "../../src/backend/quotas.js";
import { startMoto } from "../kit/moto.js";
import { errorResponse, type JsonServer, type ScriptedResponse, startJsonServer } from "./json-server.js";

/**
 * The quota reader through the real SDK. moto implements no Service Quotas for SageMaker, so the
 * readable cases run against a scripted server speaking the Service Quotas JSON protocol, and
 * moto shows the unreadable one: an endpoint without the API.
 */

const PER_TYPE = "ml.p3.2xlarge for training job usage";
const TOTAL = "Number of instances across all training jobs";

const quota = (name: string, code: string, value: number) => ({
  ServiceCode: "sagemaker",
  QuotaName: name,
  QuotaCode: code,
  Value: value,
  Unit: "None",
});
const filler = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => quota(`ml.m5.${i + from}xlarge for endpoint usage`, `L-F${i + from}`, 1));

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function readerOn(respond: (operation: string, body: Record<string, unknown>) => ScriptedResponse) {
  server = await startJsonServer((target, body) => respond(target.split(".").pop() ?? "", body));
  const client = new ServiceQuotasClient({ region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1 });
  return { reader: createQuotaReader(client), requests: server.requests };
}

describe("the quota reader", () => {
  it("finds quotas by name across pages of ListServiceQuotas and stops once it has them all", async () => {
    const pages = [
      { Quotas: [...filler(99), quota(TOTAL, "L-00C91CB5", 4)], NextToken: "p2" },
      { Quotas: [...filler(50, 99), quota(PER_TYPE, "L-D438008E", 2)], NextToken: "p3" },
      { Quotas: filler(100, 200) },
    ];
    const { reader, requests } = await readerOn((operation, body) => {
      if (operation !== "ListServiceQuotas") return errorResponse({ status: 400, type: "ValidationException", message: operation });
      return { status: 200, body: pages[body.NextToken === "p2" ? 1 : body.NextToken === "p3" ? 2 : 0] };
    });
    const lookup = await reader.findByName(SAGEMAKER_SERVICE_CODE, [PER_TYPE, TOTAL]);
    expect(lookup.errors).toEqual([]);
    expect([...lookup.found.values()]).toEqual([
      { name: TOTAL, code: "L-00C91CB5", value: 4, applied: true },
      { name: PER_TYPE, code: "L-D438008E", value: 2, applied: true },
    ]);
    expect(requests.map((r) => [r.body.ServiceCode, r.body.MaxResults, r.body.NextToken])).toEqual([
      ["sagemaker", 100, undefined],
      ["sagemaker", 100, "p2"],
    ]);
    expect(reader.calls).toEqual({ ListServiceQuotas: 2 });
  });

  it("takes AWS's default for a quota the account has no applied value for, and says so", async () => {
    const { reader } = await readerOn((operation) =>
      operation === "ListServiceQuotas"
        ? { status: 200, body: { Quotas: [quota(TOTAL, "L-00C91CB5", 4)] } }
        : { status: 200, body: { Quotas: [quota(PER_TYPE, "L-D438008E", 0)] } },
    );
    const lookup = await reader.findByName(SAGEMAKER_SERVICE_CODE, [PER_TYPE, TOTAL]);
    expect(lookup.found.get(PER_TYPE)).toEqual({ name: PER_TYPE, code: "L-D438008E", value: 0, applied: false });
    expect(lookup.found.get(TOTAL)?.applied).toBe(true);
  });

  it("keeps going when ListServiceQuotas is refused, and reports every refusal instead of throwing", async () => {
    const { reader } = await readerOn((operation) =>
      operation === "ListServiceQuotas"
        ? errorResponse({
            status: 400,
            type: "AccessDeniedException",
            message: "User is not authorized to perform: servicequotas:ListServiceQuotas",
          })
        : { status: 200, body: { Quotas: [quota(TOTAL, "L-00C91CB5", 4)] } },
    );
    const lookup = await reader.findByName(SAGEMAKER_SERVICE_CODE, [PER_TYPE, TOTAL]);
    expect(lookup.errors).toEqual([
      "ListServiceQuotas: AccessDeniedException: User is not authorized to perform: servicequotas:ListServiceQuotas",
    ]);
    expect([...lookup.found.keys()]).toEqual([TOTAL]);
  });

  it("reads nothing from moto, an endpoint without the API, and says why", async () => {
    const moto = await startMoto();
    try {
      const reader = createQuotaReader(new ServiceQuotasClient({ region: "us-east-1", endpoint: moto.endpoint, maxAttempts: 1 }));
      const lookup = await reader.findByName(SAGEMAKER_SERVICE_CODE, [PER_TYPE]);
      expect(lookup.found.size).toBe(0);
      expect(lookup.errors).toEqual([
        "ListServiceQuotas: HTTP 500: the endpoint did not answer as Service Quotas does",
        "ListAWSDefaultServiceQuotas: NoSuchResourceException: This service is not available in the current Region.",
      ]);
    } finally {
      await moto.close();
    }
  });
});
