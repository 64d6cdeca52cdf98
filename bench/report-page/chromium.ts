import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core: never a browser
 * download. The report page's browser test and its benchmark both need the same thing: a page
 * loaded from a file, every request other than that file recorded and refused, every console
 * error and uncaught exception recorded.
 */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A page opened from a file, and what it did. */
export interface OpenedPage {
  readonly page: Page;
  /** URLs requested other than the page's own file (each one refused). */
  readonly requests: string[];
  /** Console errors and uncaught exceptions, as text. */
  readonly errors: string[];
}

/** A running Chromium with a fresh profile (its own --user-data-dir, removed on close). */
export interface Chromium {
  open(file: string): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Starts Chromium; pages get a laptop's viewport unless told otherwise. */
export async function startChromium(viewport = { width: 1366, height: 768 }): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), "segsweep-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`Chromium did not start from ${CHROMIUM} (install it: apt-get install -y chromium): ${(error as Error).message}`);
  }
  return {
    open: (file) => openFile(context, file),
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

async function openFile(context: BrowserContext, file: string): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  page.on("request", (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, requests, errors };
}
