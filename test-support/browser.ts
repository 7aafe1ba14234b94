/**
 * A real headless Chromium (Debian's `chromium`) driven by playwright-core, for browser flows.
 * `.ci/run` installs the package; playwright never downloads a browser of its own here.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Path of the system Chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches headless Chromium with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium), as .ci/run does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
