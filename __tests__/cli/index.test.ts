import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../cli";
import { captureIO } from "../../test-support/io";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { name: string; version: string };

describe("token-policy", () => {
  test("--version prints the package and its version, so a report or plan can be traced to a release", async () => {
    for (const flag of ["--version", "-V"]) {
      const io = captureIO({});
      expect(await run([flag], io)).toBe(0);
      expect(io.out()).toBe(`${pkg.name} ${pkg.version}\n`);
    }
  });

  test("the report ends with the release that wrote it", async () => {
    const io = captureIO({});
    expect(await run(["report", "--config", join(__dirname, "..", "..", "token-policy.yaml")], io)).toBe(0);
    expect(io.out()).toContain(`<sub>${pkg.name} ${pkg.version}</sub>`);
  });

  test.each([
    [["serve", "--port", "abc"], "error: option '--port <n>' argument 'abc' is invalid. must be a whole number from 0 to 65535.\n"],
    [
      ["create-app", "--org", "acme-corp", "--port", "70000"],
      "error: option '--port <n>' argument '70000' is invalid. must be a whole number from 0 to 65535.\n",
    ],
    [
      ["verify", "--all", "--concurrency", "abc"],
      "error: option '--concurrency <n>' argument 'abc' is invalid. must be a whole number from 1 to 32.\n",
    ],
    [
      ["review", "--all", "--concurrency", "0"],
      "error: option '--concurrency <n>' argument '0' is invalid. must be a whole number from 1 to 32.\n",
    ],
    [
      ["install", "--org", "acme-corp", "--timeout", "0"],
      "error: option '--timeout <minutes>' argument '0' is invalid. must be a number of minutes above 0.\n",
    ],
    [
      ["install", "--org", "acme-corp", "--timeout", "soon"],
      "error: option '--timeout <minutes>' argument 'soon' is invalid. must be a number of minutes above 0.\n",
    ],
    [
      ["serve", "--sweep-minutes", "-1"],
      "error: option '--sweep-minutes <n>' argument '-1' is invalid. must be a number of minutes, 0 or more.\n",
    ],
  ])("fails with exit 2 and what is allowed, before anything runs, when a number is not one: %j", async (argv, message) => {
    const io = captureIO({});
    expect(await run(argv, io)).toBe(2);
    expect(io.err()).toBe(message);
    expect(io.out()).toBe("");
  });
});
