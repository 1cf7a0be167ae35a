import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, onTestFinished, type TestContext } from 'vitest'

/** Screenshots of every test and traces of failed ones (gitignored). */
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url))

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Debian's Chromium (installed by `.ci/run` with apt-get; never `playwright install`). The
 * background-networking flags matter here: without them Chromium keeps dialling Google's hosts,
 * which this machine's closed network refuses.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium
    .launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    .catch((error: unknown) => {
      throw new Error(
        `Chromium did not start from ${executablePath}: install it with \`apt-get install chromium\` (.ci/run does) or set CHROMIUM_PATH. ${String(error)}`,
      )
    })
}

/** One Chromium for the enclosing suite (started before its tests, closed after them). */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(() => browser?.close())
  return () => {
    if (!browser) throw new Error('useBrowser(): the browser starts in beforeAll')
    return browser
  }
}

export type OpenPageReturnType = {
  page: Page
  /** Console errors and uncaught exceptions so far; a clean page has none. */
  errors: string[]
}

/**
 * A fresh browser context (its own storage) and page for one test. When the test ends the page
 * is screenshotted to `artifacts/<test>.png`; when it fails the Playwright trace is kept in
 * `artifacts/<test>.trace.zip` (open it with `npx playwright show-trace`).
 */
export async function openPage(
  browser: Browser,
  context: TestContext,
): Promise<OpenPageReturnType> {
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
  await mkdir(artifactsDir, { recursive: true })
  const browserContext = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  await browserContext.tracing.start({ screenshots: true, snapshots: true })
  const page = await browserContext.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(String(error)))

  onTestFinished(async ({ task }) => {
    const failed = task.result?.state === 'fail'
    await page.screenshot({ path: `${artifactsDir}${name}.png`, fullPage: true }).catch(() => {})
    await browserContext.tracing
      .stop(failed ? { path: `${artifactsDir}${name}.trace.zip` } : {})
      .catch(() => {})
    await browserContext.close()
  })
  return { page, errors }
}
