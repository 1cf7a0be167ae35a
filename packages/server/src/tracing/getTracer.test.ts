import { expect, test } from 'vitest'
import { registerInMemoryTracing } from '../../test/registerInMemoryTracing.js'
import { getTracer } from './getTracer.js'

test('follows the registered SDK, also one registered after first use and through the CommonJS API', async () => {
  // Before any SDK: the API's no-op.
  expect(getTracer().startSpan('before').isRecording()).toBe(false)
  // The SDK loads the API's CommonJS build, this package its ES module build.
  const tracing = registerInMemoryTracing()
  const span = getTracer().startSpan('during')
  expect(span.isRecording()).toBe(true)
  span.end()
  expect(tracing.exporter.getFinishedSpans()).toMatchObject([
    {
      name: 'during',
      instrumentationScope: { name: '@accesspoint/server', version: expect.any(String) },
    },
  ])
  expect(getTracer()).toBe(getTracer())
  await tracing.close()
  expect(getTracer().startSpan('after').isRecording()).toBe(false)
})
