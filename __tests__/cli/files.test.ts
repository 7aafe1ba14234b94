/**
 * An output file an option names (`--out`, `--evidence-out`): one check, one write, and one
 * wording for every refusal, whichever command writes it and whether the check or the write
 * refuses.
 */
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeEvidence } from "../../cli/commands/verify";
import { checkOutputPath, writeNoFollow } from "../../cli/files";
import { tempDir } from "../../test-support/temp";

const REMEDY = "give a file path in an existing directory";

describe("output files", () => {
  test("fails when the path is a symbolic link: the same message from the check, --out's write and the evidence write", () => {
    // GIVEN a link to a file that must stay as it is
    const dir = tempDir("out-");
    const target = join(dir, "authorized_keys");
    writeFileSync(target, "keep\n");
    const link = join(dir, "out.md");
    symlinkSync(target, link);
    const message = (option: string) => `${option} ${link}: it is a symbolic link, which is not followed; ${REMEDY}`;
    // WHEN each writes there THEN each refuses with the one wording, and the target is untouched
    expect(() => checkOutputPath(link, "--out")).toThrow(message("--out"));
    expect(() => writeNoFollow(link, "text")).toThrow(message("--out"));
    expect(() => writeEvidence(link, [], false)).toThrow(message("--evidence-out"));
    expect(readFileSync(target, "utf8")).toBe("keep\n");
  });

  test("fails when the write itself is refused, in the same form: option, file, what, remedy", () => {
    // GIVEN a name longer than the file system takes: the check passes (a new file), the open fails
    const file = join(tempDir("out-"), "x".repeat(300));
    expect(() => checkOutputPath(file, "--out")).not.toThrow();
    // WHEN either command writes there THEN the one wording names the option, the file and the reason
    expect(() => writeNoFollow(file, "text")).toThrow(`--out ${file}: it cannot be written (ENAMETOOLONG); ${REMEDY}`);
    expect(() => writeEvidence(file, [], true)).toThrow(`--evidence-out ${file}: it cannot be written (ENAMETOOLONG); ${REMEDY}`);
  });

  test("writes a new file, and replaces a regular one", () => {
    const file = join(tempDir("out-"), "report.md");
    writeNoFollow(file, "one\n");
    writeNoFollow(file, "two\n");
    expect(readFileSync(file, "utf8")).toBe("two\n");
  });
});
