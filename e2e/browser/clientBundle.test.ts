import { fileURLToPath } from 'node:url'
import { devAccounts } from '@accesspoint/contracts'
import { build } from 'esbuild'
import { beforeAll, describe, expect, inject, test } from 'vitest'
import { openPage, useBrowser } from '../support/openPage.js'
import type { RunReturnType } from './clientInBrowser.js'

// Dev account 2 (pass #2, $5). The dapp tests use accounts 1, 3, 4, and 2 only to sign in and out.
const privateKey = devAccounts[2]?.privateKey

describe('@accesspoint/client in a browser bundle (Chromium)', () => {
  const browser = useBrowser()
  let bundle: string
  beforeAll(async () => {
    // Bundled as a browser app would be: viem and @trpc/client included, no Node built-ins.
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./clientInBrowser.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@accesspoint/source'],
      write: false,
      logLevel: 'silent',
    })
    bundle = result.outputFiles[0]?.text ?? ''
  })

  test('signs in once, calls, streams and keeps the session across a reload', async (context) => {
    const apiUrl = inject('apiUrl')
    const { page, errors } = await openPage(browser(), context)
    // The page is served at the server's own origin, so its requests are same-origin, as for a
    // dapp deployed behind the same host; everything else goes to the real server.
    await page.route(`${apiUrl}/__e2e/**`, (route) =>
      route.request().url().endsWith('.js')
        ? route.fulfill({ contentType: 'text/javascript', body: bundle })
        : route.fulfill({
            contentType: 'text/html',
            body: '<!doctype html><title>client</title><script type="module" src="/__e2e/client.js"></script>',
          }),
    )
    const runInPage = async () => {
      await page.goto(`${apiUrl}/__e2e/index.html`)
      await page.waitForFunction(() => 'accessPoint' in window)
      return page.evaluate(
        (key) =>
          (
            window as unknown as {
              accessPoint: { run(key: string): Promise<RunReturnType> }
            }
          ).accessPoint.run(key),
        privateKey as string,
      )
    }

    const first = await runInPage()
    expect(first.signatures).toBe(1)
    expect(first.address).toBe(devAccounts[2]?.address.toLowerCase())
    expect(first.roles).toContain('holder')
    expect(first.completion.text.length).toBeGreaterThan(0)
    expect(BigInt(first.completion.costMicroUsd)).toBeGreaterThan(0n)
    expect(first.stream.deltas).toBeGreaterThan(1)
    expect(first.stream.outputTokens).toBeGreaterThan(0)
    expect(BigInt(first.stream.costMicroUsd)).toBeGreaterThan(0n)
    expect(first.error).toEqual({
      isAccessPointError: true,
      isModelNotFound: true,
      code: 'MODEL_NOT_FOUND',
    })

    // A reload is a new client: the session comes back from localStorage, nothing is signed.
    const second = await runInPage()
    expect(second.signatures).toBe(0)
    expect(second.stream.text).toBe(first.stream.text)
    expect(errors.filter((error) => !error.includes('404'))).toEqual([])
  })
})
