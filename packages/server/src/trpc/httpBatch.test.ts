import { createTRPCClient, httpBatchLink } from '@trpc/client'
import superjson from 'superjson'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createTestServer, type TestServer } from '../../test/createTestServer.js'
import { devAccount, signInAs } from '../../test/signInAs.js'
import type { AppRouter } from './appRouter.js'

let server: TestServer
beforeAll(async () => {
  server = await createTestServer('embedded')
})
afterAll(() => server?.close())

// tRPC's default link batches calls made together into one request naming every procedure in
// its path; a dapp on it must not get a 414 once a page makes a handful of calls at once.
test('a batch of many procedures in one request is served (httpBatchLink)', async () => {
  const { token } = await signInAs(server.client(), devAccount(1))
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${server.url}/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${token}` },
        maxItems: 50,
      }),
    ],
  })
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      index % 2 ? client.access.me.query() : client.ai.models.query(),
    ),
  )
  expect(answers).toHaveLength(20)
  expect(answers[1]).toMatchObject({ address: devAccount(1).address.toLowerCase() })
})
