/**
 * A real headless Chromium driven by playwright-core, for the browser flows (create-app's page).
 *
 * Which browser, in this order:
 * 1. `CHROMIUM_PATH`, when set (a path that does not exist is an error, never a silent fallback);
 * 2. an installed Chromium or Chrome (on the PATH, or where macOS and Windows install them);
 * 3. on Linux x64, the headless Chromium inside the `@sparticuz/chromium` dev dependency: the
 *    binary ships in the npm tarball itself, so `npm ci` brings it even on a closed network. It is
 *    unpacked once into `node_modules/.cache/token-policy-chromium/<version>/`, with the NSS
 *    libraries it links against, so a machine without any browser packages runs it.
 *
 * playwright-core never downloads a browser of its own. `.ci/run` installs Debian's `chromium`
 * where it can, which step 2 then finds.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Where a browser was found. */
export interface FoundChromium {
  /** Path of the browser executable. */
  readonly executablePath: string;
  /** How it was found: `CHROMIUM_PATH`, `installed` or `@sparticuz/chromium`. */
  readonly source: "CHROMIUM_PATH" | "installed" | "@sparticuz/chromium";
  /** Extra environment the browser needs (the packaged one's libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
}

/** What the search looks at; tests pass their own. */
export interface ChromiumSearch {
  /** The environment (`CHROMIUM_PATH`, `PATH`, `PROGRAMFILES`…). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.platform */
  readonly platform?: NodeJS.Platform;
  /** @default process.arch */
  readonly arch?: string;
  /** Whether a file exists. @default fs.existsSync */
  readonly exists?: (path: string) => boolean;
  /** Unpacks the packaged Chromium and returns where it is; `undefined` when the package is absent. @default unpackSparticuzChromium */
  readonly unpackPackaged?: () => FoundChromium | undefined;
}

/** Executable names of Chromium and Chrome on a Unix PATH, most specific first. */
const UNIX_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"];

/** Where a browser is found on the machine (step 2), or undefined. */
function installedChromium(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (path: string) => boolean): string | undefined {
  const candidates: string[] = [];
  if (platform === "win32") {
    for (const root of [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA]) {
      if (root)
        candidates.push(join(root, "Google", "Chrome", "Application", "chrome.exe"), join(root, "Chromium", "Application", "chrome.exe"));
    }
  } else {
    for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
      for (const name of UNIX_NAMES) candidates.push(join(dir, name));
    }
    if (platform === "darwin") {
      candidates.push("/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
    }
  }
  return candidates.find(exists);
}

/**
 * Finds a browser: `CHROMIUM_PATH`, then an installed Chromium or Chrome, then the packaged one.
 * Throws with what to install when none is found.
 */
export function findChromium(search: ChromiumSearch = {}): FoundChromium {
  const env = search.env ?? process.env;
  const platform = search.platform ?? process.platform;
  const arch = search.arch ?? process.arch;
  const exists = search.exists ?? existsSync;

  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!exists(fromEnv))
      throw new Error(
        `CHROMIUM_PATH names ${fromEnv}, which does not exist: point it at a Chromium or Chrome executable, or unset it to search the machine`,
      );
    return { executablePath: fromEnv, source: "CHROMIUM_PATH", env: {} };
  }
  const installed = installedChromium(env, platform, exists);
  if (installed) return { executablePath: installed, source: "installed", env: {} };
  if (platform === "linux" && arch === "x64") {
    const packaged = (search.unpackPackaged ?? unpackSparticuzChromium)();
    if (packaged) return packaged;
    throw new Error(
      "no Chromium or Chrome found: run npm ci (it installs the dev dependency @sparticuz/chromium), install Chromium (apt-get install chromium), or set CHROMIUM_PATH",
    );
  }
  throw new Error(
    `no Chromium or Chrome found on ${platform}-${arch}: install Google Chrome or Chromium, or set CHROMIUM_PATH to its executable`,
  );
}

/**
 * Unpacks `@sparticuz/chromium`'s browser, NSS libraries and fonts into
 * `node_modules/.cache/token-policy-chromium/<version>/` (once; parallel test workers race safely:
 * each unpacks into its own folder and only a complete one is renamed into place).
 * Returns undefined when the package is not installed.
 */
export function unpackSparticuzChromium(): FoundChromium | undefined {
  let entry: string;
  try {
    entry = require.resolve("@sparticuz/chromium");
  } catch {
    return undefined;
  }
  const packageDir = join(dirname(entry), "..");
  const version = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  const modules = join(packageDir, "..", "..");
  const cacheRoot = join(modules, ".cache", "token-policy-chromium");
  const target = join(cacheRoot, version);
  const found = (): FoundChromium => ({
    executablePath: join(target, "chromium"),
    source: "@sparticuz/chromium",
    env: { LD_LIBRARY_PATH: join(target, "al2023", "lib"), FONTCONFIG_PATH: join(target, "fonts") },
  });
  if (existsSync(join(target, "chromium"))) return found();

  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `.unpack-${version}-`));
  try {
    // The package's own inflate() unpacks into os.tmpdir(): point TMPDIR at the staging folder.
    // It is an ES module, so it runs in a child Node rather than in jest's module loader.
    const script = [
      'import { inflate } from "@sparticuz/chromium";',
      "const bin = process.argv[1];",
      'for (const file of ["chromium.br", "al2023.tar.br", "fonts.tar.br"]) await inflate(bin + "/" + file);',
    ].join("\n");
    execFileSync(process.execPath, ["--input-type=module", "-e", script, join(packageDir, "bin")], {
      cwd: modules,
      env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
      stdio: ["ignore", "ignore", "pipe"],
    });
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another worker put a complete copy in place first.
      if (!existsSync(join(target, "chromium"))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return found();
}

/** Launches headless Chromium (found by {@link findChromium}) with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  const found = findChromium();
  return chromium.launch({
    executablePath: found.executablePath,
    headless: true,
    env: { ...process.env, ...found.env },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * One headless Chromium for the tests of the enclosing `describe`: launched before the first,
 * closed after the last. Returns it (while the tests run). When it cannot launch, `beforeAll`'s
 * error is the one reported.
 */
export function chromiumForTests(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("chromiumForTests: the browser exists only while the tests run");
    return browser;
  };
}
