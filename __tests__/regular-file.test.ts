/**
 * Every path a command reads or writes: only regular files are read, never past their cap; writes
 * never go through a symbolic link or into a device or a FIFO.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileProblem, readRegularFile, writeRegularFile } from "../lib/regular-file";
import { tempDir } from "../test-support/temp";

describe("readRegularFile", () => {
  test("reads a regular file, through a symbolic link too", () => {
    const dir = tempDir("read-");
    writeFileSync(join(dir, "a.yaml"), "organizations: []\n");
    symlinkSync(join(dir, "a.yaml"), join(dir, "link.yaml"));
    expect(readRegularFile(join(dir, "link.yaml"), 100)).toBe("organizations: []\n");
  });

  test("fails when the path is a device, and reads nothing of it", () => {
    // GIVEN /dev/zero, whose stat size is 0 and whose content never ends
    // WHEN it is read THEN it is refused as a device
    expect(() => readRegularFile("/dev/zero", 1024)).toThrow(new FileProblem("is a device, not a regular file; give the path of a file"));
  });

  test("fails when the path is a FIFO, without waiting for a writer", () => {
    const fifo = join(tempDir("fifo-"), "config.yaml");
    execFileSync("mkfifo", [fifo]);
    expect(() => readRegularFile(fifo, 1024)).toThrow(/is a FIFO \(named pipe\), not a regular file/);
  });

  test("fails when the path is a folder", () => {
    expect(() => readRegularFile(tempDir("dir-"), 1024)).toThrow(/is a folder, not a regular file/);
  });

  test("fails when the file is larger than its cap, naming both sizes", () => {
    const file = join(tempDir("big-"), "big.yaml");
    writeFileSync(file, "x".repeat(101));
    expect(() => readRegularFile(file, 100)).toThrow("is 101 bytes; at most 100 are read");
  });

  test("fails when a file is missing", () => {
    expect(() => readRegularFile(join(tempDir("none-"), "missing.yaml"), 100)).toThrow("file not found");
  });
});

describe("writeRegularFile", () => {
  test("writes a new file and replaces a regular one whole", () => {
    const file = join(tempDir("write-"), "out.md");
    writeRegularFile(file, "a longer first text\n");
    writeRegularFile(file, "second\n");
    expect(readFileSync(file, "utf8")).toBe("second\n");
  });

  test("fails when the path is a symbolic link, and leaves its target as it was", () => {
    const dir = tempDir("write-link-");
    const target = join(dir, "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA keep-me\n");
    symlinkSync(target, join(dir, "evidence.md"));
    expect(() => writeRegularFile(join(dir, "evidence.md"), "overwritten")).toThrow(/is a symbolic link; refusing to write through it/);
    expect(readFileSync(target, "utf8")).toBe("ssh-ed25519 AAAA keep-me\n");
  });

  test("fails when the path is a FIFO or a device", () => {
    const fifo = join(tempDir("write-fifo-"), "out.md");
    execFileSync("mkfifo", [fifo]);
    expect(() => writeRegularFile(fifo, "x")).toThrow(/is a FIFO \(named pipe\); refusing to write through it/);
    expect(() => writeRegularFile("/dev/null", "x")).toThrow(/is a device; refusing to write through it/);
  });
});
