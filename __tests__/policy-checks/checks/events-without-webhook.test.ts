import { ids, reviewer, shortLived } from "./organization";

const withEvents = (extra: Record<string, unknown>) =>
  ids({ ...shortLived, app: { ...reviewer, events: ["personal_access_token_request"], ...extra } });

describe("events-without-webhook", () => {
  test("fails when the App subscribes to events that nothing receives", () => {
    expect(withEvents({})).toEqual(["events-without-webhook"]);
  });

  test("holds with a webhook URL", () => {
    expect(withEvents({ webhookUrl: "https://hooks.example/gh" })).toEqual([]);
  });
});
