import type { PGlite } from '@electric-sql/pglite'
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'

/**
 * pglite-prisma-adapter with one fix: its `executeScript` starts `exec()` without awaiting it and
 * always resolves, so a failing migration was recorded as applied (and ran concurrently with the
 * engine's next statement). Ours awaits the script and rejects with its error.
 */
export function createPGliteAdapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite)
  const awaitScripts = (adapter: SqlDriverAdapter, client: PGlite): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      await client.exec(script)
    }
    return adapter
  }
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => awaitScripts(await inner.connect(), pglite),
    connectToShadowDb: async () => {
      const shadow = await inner.connectToShadowDb()
      // The shadow adapter owns its own in-memory PGlite, exposed as `client`.
      return awaitScripts(shadow, (shadow as unknown as { client: PGlite }).client)
    },
  }
}
