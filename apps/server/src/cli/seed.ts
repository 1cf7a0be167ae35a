// pnpm db:seed — loads the model price list and the dev chain's demo wallets (idempotent).
import { seedDatabase } from '@accesspoint/server'
import { openDatabase } from './openDatabase.js'
import { run } from './run.js'

await run(async (config) => {
  const database = await openDatabase(config)
  try {
    const { pricesChanged, walletsCreated } = await seedDatabase({ database, demo: true })
    console.log(
      `Prices: ${pricesChanged.length ? `new version for ${pricesChanged.join(', ')}` : 'unchanged'}. Demo wallets created: ${walletsCreated}.`,
    )
  } finally {
    await database.close()
  }
})
