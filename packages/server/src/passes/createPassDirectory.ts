import type { Address } from 'viem'
import type { PassRef } from '../auth/types.js'
import type { Database } from '../db/createDatabase.js'
import { upsertPass } from './upsertPass.js'

export type PassDirectory = {
  /** Our row id for an on-chain pass, created on first use; from memory afterwards. */
  idOf(pass: PassRef & { owner: Address; creditMicroUsd: bigint }): Promise<string>
}

export type CreatePassDirectoryParameters = { database: Database }
export type CreatePassDirectoryReturnType = PassDirectory

/** Pass row ids by (chain, contract, token id); rows never change id, so they cache forever. */
export function createPassDirectory({
  database,
}: CreatePassDirectoryParameters): CreatePassDirectoryReturnType {
  const ids = new Map<string, Promise<string>>()
  return {
    idOf(pass) {
      const key = `${pass.chainId}:${pass.contract.toLowerCase()}:${pass.tokenId}`
      let id = ids.get(key)
      if (!id) {
        id = upsertPass({ database, pass }).then(({ id }) => id)
        // A failed upsert is not remembered: the next request tries again.
        id.catch(() => ids.delete(key))
        ids.set(key, id)
      }
      return id
    },
  }
}
