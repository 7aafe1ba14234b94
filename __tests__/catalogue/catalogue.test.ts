import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { APP_EVENTS, APP_PERMISSIONS, levelAtLeast } from "../../lib/catalogue";
import { buildCatalogue } from "../../scripts/build-catalogue";
import { configJsonSchema } from "../../lib/config/json-schema";

const root = join(__dirname, "..", "..");

describe("the App catalogue", () => {
  test("is what GitHub's OpenAPI description says (run npm run generate:catalogue when this fails)", () => {
    const committed = JSON.parse(readFileSync(join(root, "lib", "catalogue", "github-app-catalogue.json"), "utf8"));
    expect(committed).toEqual(buildCatalogue());
  });

  test("holds the permissions and events this product relies on", () => {
    expect(APP_PERMISSIONS.organization_personal_access_token_requests).toEqual(["read", "write"]);
    expect(APP_PERMISSIONS.organization_personal_access_tokens).toEqual(["read", "write"]);
    expect(APP_PERMISSIONS.workflows).toEqual(["write"]);
    expect(APP_EVENTS.has("personal_access_token_request")).toBe(true);
  });

  test("orders levels read < write < admin", () => {
    expect(levelAtLeast("write", "read")).toBe(true);
    expect(levelAtLeast("read", "write")).toBe(false);
    expect(levelAtLeast("admin", "write")).toBe(true);
    expect(levelAtLeast(undefined, "read")).toBe(false);
    expect(levelAtLeast("none", "read")).toBe(false);
  });
});

describe("token-policy.schema.json", () => {
  const schema = JSON.parse(readFileSync(join(root, "token-policy.schema.json"), "utf8"));
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);

  test("is what the zod schema generates (run npm run generate:schema when this fails)", () => {
    expect(schema).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  test("accepts the example config", () => {
    const ok = validate(parse(readFileSync(join(root, "token-policy.yaml"), "utf8")));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test("rejects what editors should flag: unknown keys, permissions, levels and lifetimes", () => {
    const bad = {
      organizations: [
        {
          login: "acme",
          colour: "red",
          patPolicy: { maxLifetimeDays: 400 },
          app: { name: "a", homepageUrl: "https://x.example", permissions: { teleport: "read", contents: "admin" } },
          credentials: { actions: { visibility: "all" } },
        },
      ],
    };
    expect(validate(bad)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toEqual(
      expect.arrayContaining([
        "/organizations/0 additionalProperties",
        "/organizations/0/patPolicy/maxLifetimeDays maximum",
        "/organizations/0/app/permissions additionalProperties",
        "/organizations/0/app/permissions/contents enum",
      ]),
    );
  });
});
