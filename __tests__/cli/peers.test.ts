import { loadWithPeers } from "../../cli/peers";
import { failureOf } from "../../cli/io";

/** What require() throws for a package that is not installed. */
function notFound(name: string): NodeJS.ErrnoException {
  return Object.assign(
    new Error(
      `Cannot find module '${name}'\nRequire stack:\n- /usr/lib/node_modules/github-token-policy/dist/lib/policy-checks/policy-checks.js`,
    ),
    { code: "MODULE_NOT_FOUND" },
  );
}

describe("loadWithPeers (report and orgs in an install without cdktf)", () => {
  test("fails with exit 1 naming the missing peer and what to install, without an install path", () => {
    let thrown: unknown;
    try {
      loadWithPeers("report", () => {
        throw notFound("constructs");
      });
    } catch (e) {
      thrown = e;
    }
    expect(failureOf(thrown, {})).toEqual({
      code: 1,
      message:
        "error: token-policy report needs the peer dependency constructs, which is not installed: npm install cdktf constructs @cdktf/provider-github (the other commands run without them)",
    });
  });

  test("a deep import of a peer counts too", () => {
    expect(() =>
      loadWithPeers("orgs", () => {
        throw notFound("@cdktf/provider-github/lib/provider");
      }),
    ).toThrow("token-policy orgs needs the peer dependency @cdktf/provider-github");
  });

  test("any other failure passes through unchanged", () => {
    const other = notFound("left-pad");
    expect(() =>
      loadWithPeers("report", () => {
        throw other;
      }),
    ).toThrow(other);
    expect(loadWithPeers("report", () => 42)).toBe(42);
  });
});
