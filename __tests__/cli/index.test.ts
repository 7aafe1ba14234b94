import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../cli";
import { captureIO } from "../helpers/io";

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
});
