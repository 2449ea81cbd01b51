/**
 * Opens published reports in headless Chromium (Debian's `/usr/bin/chromium`, driven by
 * playwright-core) and reports, per page, whether every plot rendered, every image loaded,
 * and that nothing was logged as an error or fetched from outside the page.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";

/** Raised when the browser check cannot run (no Chromium, or a page that does not exist). */
export class BrowserCheckError extends Error {
  override name = "BrowserCheckError";
}

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The Chromium flags of the check: headless, no sandbox (root), no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** What one page showed. */
export interface BrowserCheckResult {
  /** The page (as given). */
  file: string;
  /** True when every check passed. */
  ok: boolean;
  /** Plot containers in the page (`.plotly-output`). */
  plotsExpected: number;
  /** Rendered plotly plots (`.js-plotly-plot` holding an `svg.main-svg`). */
  plotsRendered: number;
  /** Images in the page. */
  images: number;
  /** Images that did not load (`naturalWidth` 0), by their first 60 characters of src. */
  imagesBroken: string[];
  /** Console messages of type error. */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Requests other than the page itself and data: URLs. */
  externalRequests: string[];
  /** Relative links to local files that do not exist. */
  brokenLinks: string[];
  /** Milliseconds from navigation to the end of the checks. */
  loadMs: number;
}

/** Options of {@linkcode checkReportsInBrowser}. */
export interface BrowserCheckOptions {
  /** The Chromium binary (default {@linkcode CHROMIUM_PATH}). */
  executablePath?: string;
  /** How long to wait for plots per page, in ms (default 20000). */
  timeoutMs?: number;
}

/** Whether Chromium is installed where the check looks for it. */
export function chromiumAvailable(executablePath = CHROMIUM_PATH): boolean {
  return existsSync(executablePath);
}

/**
 * The Chromium binary to use (`executablePath` or {@linkcode CHROMIUM_PATH}), after checking that
 * it and every report exist. Throws {@linkcode BrowserCheckError} saying what to install or run.
 */
export function requireChromiumAndReports(
  files: readonly string[],
  executablePath: string = CHROMIUM_PATH,
): string {
  if (!chromiumAvailable(executablePath)) {
    throw new BrowserCheckError(
      `no Chromium at ${executablePath}; install it with 'apt-get install -y ` +
        `--no-install-recommends chromium' (never 'playwright install').`,
    );
  }
  for (const f of files) {
    if (!existsSync(f)) {
      throw new BrowserCheckError(`report ${f} does not exist; publish the reports first.`);
    }
  }
  return executablePath;
}

/**
 * Opens each HTML file in one headless Chromium (fresh profile in a temporary folder) and
 * returns one result per file. Throws {@linkcode BrowserCheckError} when Chromium is missing or
 * a file does not exist.
 */
export async function checkReportsInBrowser(
  files: readonly string[],
  options: BrowserCheckOptions = {},
): Promise<BrowserCheckResult[]> {
  const executablePath = requireChromiumAndReports(files, options.executablePath);
  const { chromium } = await import("playwright-core");
  const profile = await Deno.makeTempDir({ prefix: "report_check_profile_" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const results: BrowserCheckResult[] = [];
    for (const file of files) {
      results.push(await checkPage(context, file, options.timeoutMs ?? 20_000));
    }
    return results;
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

/** The little of the DOM the checks use (the project compiles without the DOM types). */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  complete?: boolean;
  naturalWidth?: number;
  href?: string;
}
interface PageDocument {
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
}

async function checkPage(
  context: BrowserContext,
  file: string,
  timeoutMs: number,
): Promise<BrowserCheckResult> {
  const url = pathToFileURL(resolve(file)).href;
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const externalRequests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(String(e?.message ?? e)));
  page.on("request", (r) => {
    const u = r.url();
    if (u !== url && !u.startsWith("data:")) externalRequests.push(u);
  });
  const t0 = performance.now();
  try {
    await page.goto(url, { waitUntil: "load", timeout: timeoutMs });
    const expected = await page.locator(".plotly-output").count();
    if (expected > 0) {
      await page.waitForFunction(
        // Done when every plot rendered, or at once when plotly.js never loaded.
        (n) =>
          !("Plotly" in globalThis) ||
          (globalThis as unknown as { document: PageDocument }).document
              .querySelectorAll(".js-plotly-plot svg.main-svg").length >= n,
        expected,
        { timeout: timeoutMs },
      ).catch(() => {}); // reported below as plotsRendered < plotsExpected
    }
    const dom = await page.evaluate(() => {
      // Runs in the page (serialised): only browser globals, no closures over this module.
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return {
        plots: [...doc.querySelectorAll(".js-plotly-plot")]
          .filter((p) => p.querySelector("svg.main-svg") !== null).length,
        images: [...doc.querySelectorAll("img")].map((i) => ({
          src: i.getAttribute("src") ?? "",
          ok: Boolean(i.complete) && Number(i.naturalWidth) > 0,
        })),
        links: [...doc.querySelectorAll("a[href]")].map((a) => String(a.href)),
      };
    });
    const brokenLinks = dom.links.filter((h) => h.startsWith("file:")).map((h) => h.split("#")[0])
      .filter((h) => !existsSync(fileURLToPath(h)));
    const imagesBroken = dom.images.filter((i) => !i.ok).map((i) => i.src.slice(0, 60));
    const result = {
      file,
      plotsExpected: expected,
      plotsRendered: dom.plots,
      images: dom.images.length,
      imagesBroken,
      consoleErrors,
      pageErrors,
      externalRequests,
      brokenLinks,
      loadMs: Math.round(performance.now() - t0),
    };
    return {
      ...result,
      ok: expected === dom.plots && imagesBroken.length === 0 && consoleErrors.length === 0 &&
        pageErrors.length === 0 && externalRequests.length === 0 && brokenLinks.length === 0,
    };
  } finally {
    await page.close();
  }
}
