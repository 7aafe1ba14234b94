import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  canonicalTokenPermission,
  canonicalTokenPermissions,
  TOKEN_PERMISSION_ALIASES,
  TOKEN_PERMISSIONS,
  tokenPermissionLevels,
  unknownTokenPermission,
} from "../../lib/catalogue";
import { buildTokenCatalogue } from "../../scripts/build-token-catalogue";

const root = join(__dirname, "..", "..");

describe("the fine-grained token permission catalogue", () => {
  test("is what GitHub's tables and OpenAPI description give (run npm run generate:catalogue when this fails)", () => {
    const committed = JSON.parse(readFileSync(join(root, "lib", "catalogue", "github-token-permissions.json"), "utf8"));
    expect(committed).toEqual(buildTokenCatalogue());
  });

  test("holds each permission under the kind GitHub reports it, with its levels", () => {
    expect(TOKEN_PERMISSIONS.repository.administration).toEqual(["read", "write"]);
    expect(TOKEN_PERMISSIONS.repository.workflows).toEqual(["write"]);
    expect(TOKEN_PERMISSIONS.repository.metadata).toEqual(["read"]);
    // Organization permissions are named as a request reports them, without the prefix.
    expect(TOKEN_PERMISSIONS.organization.administration).toEqual(["read", "write"]);
    expect(TOKEN_PERMISSIONS.organization.members).toEqual(["read", "write"]);
    expect(TOKEN_PERMISSIONS.organization.projects).toEqual(["read", "write", "admin"]);
    expect(TOKEN_PERMISSIONS.other.gists).toEqual(["write"]);
    // An App permission that fine-grained tokens cannot ask for.
    expect(TOKEN_PERMISSIONS.repository.checks).toBeUndefined();
  });
});

describe("canonicalTokenPermission", () => {
  test("turns each known spelling into the catalogue's name, per kind", () => {
    expect(canonicalTokenPermission("organization", "administration")).toBe("administration");
    expect(canonicalTokenPermission("organization", "organization_administration")).toBe("administration");
    expect(canonicalTokenPermission("repository", "administration")).toBe("administration");
    expect(canonicalTokenPermission("other", "email_addresses")).toBe("emails");
    expect(TOKEN_PERMISSION_ALIASES.organization.organization_hooks).toBe("hooks");
    // Only the prefixed spellings GitHub uses: members has none.
    expect(TOKEN_PERMISSION_ALIASES.organization.organization_members).toBeUndefined();
  });

  test("fails when the name is no permission of that kind", () => {
    expect(canonicalTokenPermission("repository", "organization_administration")).toBeUndefined();
    expect(canonicalTokenPermission("organization", "contents")).toBeUndefined();
    expect(tokenPermissionLevels("organization", "administation")).toBeUndefined();
  });
});

describe("canonicalTokenPermissions", () => {
  test("fails on a typo, naming the closest name of that kind", () => {
    const { problems } = canonicalTokenPermissions("organization", { administation: "write" });
    expect(problems).toEqual([
      {
        key: "administation",
        message: expect.stringMatching(/^unknown organization permission of fine-grained tokens \(did you mean "administration"\?\)/),
        about: "name",
      },
    ]);
  });

  test("fails on a permission of another kind, naming its kind", () => {
    expect(unknownTokenPermission("organization", "contents")).toMatch(/\(contents is a repository permission\)/);
    expect(unknownTokenPermission("repository", "checks")).toMatch(
      /checks is a GitHub App permission that fine-grained tokens cannot ask for/,
    );
  });

  test("fails on a level the permission does not have, naming the levels it has", () => {
    const { problems } = canonicalTokenPermissions("repository", { workflows: "read", metadata: "write", contents: "Write" });
    expect(problems).toEqual([
      { key: "workflows", message: "workflows accepts write", about: "level" },
      { key: "metadata", message: "metadata accepts read", about: "level" },
      { key: "contents", message: "contents accepts read, write", about: "level" },
    ]);
  });

  test("fails when one permission is listed under two spellings", () => {
    const { problems } = canonicalTokenPermissions("organization", { administration: "read", organization_administration: "write" });
    expect(problems).toEqual([
      {
        key: "organization_administration",
        message: "organization_administration and administration are one permission (administration); list it once",
        about: "name",
      },
    ]);
  });

  test("returns the map in the catalogue's spelling", () => {
    expect(canonicalTokenPermissions("organization", { organization_administration: "write", members: "read" })).toEqual({
      permissions: { administration: "write", members: "read" },
      problems: [],
    });
  });
});

describe("the README's rule reference", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");

  test("lists every permission of each kind with its levels, and the other spellings", () => {
    for (const [kind, label] of [
      ["repository", "Repository"],
      ["organization", "Organization"],
      ["other", "Account (`other`)"],
    ] as const) {
      const line = readme.split("\n").find((l) => l.startsWith(`- **${label}**: `));
      expect(line).toBeDefined();
      const listed = [...line!.slice(line!.indexOf("**: ")).matchAll(/`([a-z_]+)`(?: \(([a-z, ]+)\))?/g)].map((m) => [
        m[1],
        m[2] ?? "read, write",
      ]);
      expect(listed).toEqual(Object.entries(TOKEN_PERMISSIONS[kind]).map(([name, levels]) => [name, levels.join(", ")]));
    }
    for (const alias of Object.keys(TOKEN_PERMISSION_ALIASES.other)) expect(readme).toContain(`\`${alias}\``);
    expect(readme).toContain("`organization_administration` is `administration` under `organization`");
    expect(readme).toMatch(/\n\| `teams` \| the requester is a member of one of these teams/);
  });
});
