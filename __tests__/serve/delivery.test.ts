import { readDelivery } from "../../lib/serve/delivery";

const created = {
  action: "created",
  organization: { login: "acme-corp" },
  installation: { id: 7 },
  personal_access_token_request: { id: 11, token_id: 12, permissions_result: { repository: { contents: "read" } } },
};

describe("readDelivery", () => {
  test("reads only the organization, action, request, token and installation of a token request", () => {
    expect(readDelivery("personal_access_token_request", created)).toEqual({
      trigger: { kind: "token-request", action: "created", org: "acme-corp", requestId: 11, tokenId: 12, installationId: 7 },
    });
  });

  test.each([
    ["null", null, "the body is not a JSON object"],
    ["an array", [], "the body is not a JSON object"],
    [
      "no token id",
      { ...created, personal_access_token_request: { id: 11 } },
      "personal_access_token_request.token_id is missing or not a number",
    ],
    [
      "a string request id",
      { ...created, personal_access_token_request: { id: "11", token_id: 12 } },
      "personal_access_token_request.id is missing or not a number",
    ],
    ["a fractional id", { ...created, personal_access_token_request: { id: 1.5, token_id: 12 } }, "personal_access_token_request.id"],
    ["no organization", { ...created, organization: undefined }, "organization is missing or not an object"],
  ])("fails when the body has %s", (_name, body, problem) => {
    const r = readDelivery("personal_access_token_request", body);
    expect("problem" in r && r.problem).toContain(problem);
  });

  test("other events need only be an object, with a string action if any", () => {
    expect(readDelivery("ping", { zen: "x" })).toEqual({ trigger: { kind: "other", action: undefined } });
    expect(readDelivery("ping", { action: ["x"] })).toEqual({ problem: "action is missing or not a string" });
  });
});
