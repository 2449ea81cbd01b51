/**
 * Screenshots of published reports: each page opened in the same headless Chromium as the
 * browser check (Debian's `/usr/bin/chromium`, playwright-core, no network), waited on until
 * its plots rendered, and saved as a full-page PNG beside the page.
 *
 * @module
 */
import { basename, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CHROMIUM_ARGS, requireChromiumAndReports } from "./browser_check.ts";

/** Options of {@linkcode screenshotReports}. */
export interface ScreenshotOptions {
  /** The Chromium binary (default {@linkcode CHROMIUM_PATH}). */
  executablePath?: string;
  /** Viewport width in CSS pixels (default 1100); the height is the whole page. */
  width?: number;
  /** How long to wait for the plots per page, in ms (default 20000). */
  timeoutMs?: number;
}

/** One PNG written. */
export interface Screenshot {
  /** The page. */
  file: string;
  /** The PNG (`<out>/<page name>.png`). */
  png: string;
  /** Its size in CSS pixels. */
  width: number;
  height: number;
}

/**
 * Writes a full-page PNG of each HTML file into `outDir` (default: beside the page). Throws
 * {@linkcode BrowserCheckError} when Chromium is missing or a page does not exist.
 */
export async function screenshotReports(
  files: readonly string[],
  outDir?: string,
  options: ScreenshotOptions = {},
): Promise<Screenshot[]> {
  const executablePath = requireChromiumAndReports(files, options.executablePath);
  const width = options.width ?? 1100, timeout = options.timeoutMs ?? 20_000;
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "report_shot_profile_" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width, height: 800 },
  });
  try {
    const shots: Screenshot[] = [];
    for (const file of files) {
      const page = await context.newPage();
      try {
        // Nothing but the page itself and data: URLs may load (as in the browser check).
        const url = pathToFileURL(resolve(file)).href;
        await page.route("**/*", (r) => {
          const u = r.request().url();
          return u === url || u.startsWith("data:") ? r.continue() : r.abort();
        });
        await page.goto(url, { waitUntil: "load", timeout });
        const expected = await page.locator(".plotly-output").count();
        if (expected > 0) {
          await page.locator(".js-plotly-plot svg.main-svg").nth(expected - 1)
            .waitFor({ timeout }).catch(() => {}); // a plot that never renders shows as such
        }
        const png = join(outDir ?? resolve(file, ".."), `${basename(file, extname(file))}.png`);
        await page.screenshot({ path: png, fullPage: true });
        const size = await page.evaluate(() => {
          const d = (globalThis as unknown as {
            document: { documentElement: { scrollWidth: number; scrollHeight: number } };
          }).document.documentElement;
          return { width: d.scrollWidth, height: d.scrollHeight };
        });
        shots.push({ file, png, ...size });
      } finally {
        await page.close();
      }
    }
    return shots;
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}
