import { findChromium, unpackSparticuzChromium, type FoundChromium } from "../../test-support/browser";
import { chromium } from "playwright-core";

const packaged: FoundChromium = {
  executablePath: "/cache/chromium",
  source: "@sparticuz/chromium",
  env: { LD_LIBRARY_PATH: "/cache/al2023/lib" },
};

/** A machine whose files are exactly `files`. */
function machine(files: string[]) {
  const set = new Set(files);
  return (path: string) => set.has(path);
}

describe("findChromium (which browser the browser tests use)", () => {
  test("CHROMIUM_PATH comes first, before an installed Chromium", () => {
    // GIVEN CHROMIUM_PATH and a chromium on the PATH
    const found = findChromium({
      env: { CHROMIUM_PATH: "/opt/chrome/chrome", PATH: "/usr/bin" },
      platform: "linux",
      arch: "x64",
      exists: machine(["/opt/chrome/chrome", "/usr/bin/chromium"]),
      unpackPackaged: () => packaged,
    });
    // THEN CHROMIUM_PATH is used
    expect(found).toEqual({ executablePath: "/opt/chrome/chrome", source: "CHROMIUM_PATH", env: {} });
  });

  test("fails when CHROMIUM_PATH names a file that does not exist, naming it (no silent fallback)", () => {
    expect(() =>
      findChromium({
        env: { CHROMIUM_PATH: "/nope/chrome", PATH: "/usr/bin" },
        platform: "linux",
        arch: "x64",
        exists: machine(["/usr/bin/chromium"]),
        unpackPackaged: () => packaged,
      }),
    ).toThrow("CHROMIUM_PATH names /nope/chrome, which does not exist");
  });

  test("an installed Chromium or Chrome on the PATH comes before the packaged one", () => {
    const found = findChromium({
      env: { PATH: "/usr/local/bin:/usr/bin" },
      platform: "linux",
      arch: "x64",
      exists: machine(["/usr/bin/google-chrome"]),
      unpackPackaged: () => packaged,
    });
    expect(found).toEqual({ executablePath: "/usr/bin/google-chrome", source: "installed", env: {} });
  });

  test("macOS: Google Chrome in /Applications is found", () => {
    const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    expect(findChromium({ env: { PATH: "/usr/bin" }, platform: "darwin", arch: "arm64", exists: machine([chrome]) }).executablePath).toBe(
      chrome,
    );
  });

  test("Linux x64 with no browser installed uses the packaged @sparticuz/chromium", () => {
    const found = findChromium({
      env: { PATH: "/usr/bin" },
      platform: "linux",
      arch: "x64",
      exists: machine([]),
      unpackPackaged: () => packaged,
    });
    expect(found).toBe(packaged);
  });

  test("fails when nothing is found, saying what to install", () => {
    expect(() =>
      findChromium({ env: { PATH: "/usr/bin" }, platform: "linux", arch: "x64", exists: machine([]), unpackPackaged: () => undefined }),
    ).toThrow(
      "no Chromium or Chrome found: run npm ci (it installs the dev dependency @sparticuz/chromium), install Chromium (apt-get install chromium), or set CHROMIUM_PATH",
    );
    expect(() =>
      findChromium({ env: { PATH: "/usr/bin" }, platform: "linux", arch: "arm64", exists: machine([]), unpackPackaged: () => packaged }),
    ).toThrow("no Chromium or Chrome found on linux-arm64: install Google Chrome or Chromium, or set CHROMIUM_PATH to its executable");
  });

  (process.platform === "linux" && process.arch === "x64" ? test : test.skip)(
    "the packaged Chromium unpacks and renders a page (a machine with no browser installed)",
    async () => {
      // GIVEN the dev dependency's browser, unpacked with its own libraries
      const found = unpackSparticuzChromium();
      expect(found?.source).toBe("@sparticuz/chromium");
      // WHEN it opens a page
      const browser = await chromium.launch({
        executablePath: found!.executablePath,
        headless: true,
        env: { ...process.env, ...found!.env },
        args: ["--no-sandbox", "--disable-gpu"],
      });
      try {
        const page = await browser.newPage();
        await page.setContent("<button>Create GitHub App</button>");
        // THEN it renders it
        expect(await page.textContent("button")).toBe("Create GitHub App");
      } finally {
        await browser.close();
      }
    },
  );
});
