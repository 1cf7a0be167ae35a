import { accessControlAbi, accessPassAbi } from '@accesspoint/contracts'
import { InternalError } from '@accesspoint/core'
import {
  type Address,
  type Client,
  type ContractFunctionParameters,
  erc721Abi,
  erc1155Abi,
  type MulticallErrorType,
  type Transport,
  withTimeout,
} from 'viem'
import { multicall } from 'viem/actions'
import { describeRpcError } from './describeRpcError.js'
import { ChainUnavailableError } from './errors.js'
import { getFactKey } from './getFactKey.js'
import type { AccessFact, AccessFactValue, PassHolding } from './types.js'

export type ReadChainFactsParameters = {
  client: Client<Transport>
  chainId: number
  /** The address the facts are about. */
  address: Address
  /** Facts on `chainId` to read. */
  facts: readonly AccessFact[]
  /** Multicall3 on this chain; without it the multicall contract is sent along (deployless). */
  multicallAddress?: Address | undefined
  /** Gives up after this long, whatever the transport does. */
  timeoutMs: number
}

export type ReadChainFactFailure = { fact: AccessFact; reason: string }

export type ReadChainFactsReturnType = {
  /** By {@link getFactKey}. */
  values: Map<string, AccessFactValue>
  /**
   * Calls that reverted or returned nothing (e.g. a rule pointing at a contract that lacks the
   * function). The chain did answer, so they count as "no" (balance 0, no role, no passes); they
   * are listed so the caller can log the misconfiguration.
   */
  failures: ReadChainFactFailure[]
}

export type ReadChainFactsErrorType = ChainUnavailableError | InternalError | MulticallErrorType

/**
 * Reads every fact about one address on one chain in a single `eth_call` (Multicall3
 * `aggregate3`). Throws {@link ChainUnavailableError} when the chain does not answer in time.
 */
export async function readChainFacts({
  client,
  chainId,
  address,
  facts,
  multicallAddress,
  timeoutMs,
}: ReadChainFactsParameters): Promise<ReadChainFactsReturnType> {
  const values = new Map<string, AccessFactValue>()
  const failures: ReadChainFactFailure[] = []
  if (facts.length === 0) return { values, failures }

  const contracts = facts.map((fact) => toCall(fact, address))
  const results = await withTimeout(
    () =>
      multicall(client, {
        contracts,
        allowFailure: true,
        // One eth_call however many facts: viem would otherwise split at 1 kB of calldata.
        batchSize: 0,
        ...(multicallAddress ? { multicallAddress } : { deployless: true }),
      }),
    { timeout: timeoutMs, errorInstance: new Error(`No answer within ${timeoutMs} ms.`) },
  ).catch((error: unknown) => {
    throw new ChainUnavailableError({ chainId, reason: describeRpcError(error) })
  })

  for (const [index, fact] of facts.entries()) {
    const result = results[index]
    if (!result)
      throw new ChainUnavailableError({ chainId, reason: 'Multicall returned too few results.' })
    if (result.status === 'failure') {
      // With `allowFailure`, viem reports a failed `aggregate3` call itself (network, timeout,
      // node error) as a failure of every entry. Only the entry's own call reverting is an answer
      // from the chain; anything else must not turn into "no role".
      if (isAggregateFailure(result.error))
        throw new ChainUnavailableError({ chainId, reason: describeRpcError(result.error) })
      failures.push({ fact, reason: describeRpcError(result.error) })
      values.set(getFactKey(fact), emptyValue(fact))
      continue
    }
    values.set(getFactKey(fact), decode(fact, result.result))
  }
  return { values, failures }
}

function toCall(fact: AccessFact, address: Address): ContractFunctionParameters {
  switch (fact.type) {
    case 'erc721Balance':
      return { address: fact.contract, abi: erc721Abi, functionName: 'balanceOf', args: [address] }
    case 'erc1155Balance':
      return {
        address: fact.contract,
        abi: erc1155Abi,
        functionName: 'balanceOf',
        args: [address, fact.tokenId],
      }
    case 'hasRole':
      return {
        address: fact.contract,
        abi: accessControlAbi,
        functionName: 'hasRole',
        args: [fact.role, address],
      }
    case 'passes':
      return {
        address: fact.contract,
        abi: accessPassAbi,
        functionName: 'passesOf',
        args: [address],
      }
  }
}

function isAggregateFailure(error: unknown): boolean {
  return (
    typeof error !== 'object' ||
    error === null ||
    !('functionName' in error) ||
    error.functionName === 'aggregate3'
  )
}

function emptyValue(fact: AccessFact): AccessFactValue {
  switch (fact.type) {
    case 'erc721Balance':
    case 'erc1155Balance':
      return 0n
    case 'hasRole':
      return false
    case 'passes':
      return []
  }
}

function decode(fact: AccessFact, result: unknown): AccessFactValue {
  const value = (() => {
    switch (fact.type) {
      case 'erc721Balance':
      case 'erc1155Balance':
        return typeof result === 'bigint' ? result : undefined
      case 'hasRole':
        return typeof result === 'boolean' ? result : undefined
      case 'passes':
        return decodePasses(result)
    }
  })()
  // viem decodes by the ABI, so this only trips if an ABI and this code disagree.
  if (value === undefined)
    throw new InternalError(undefined, {
      metaMessages: [
        `Unexpected ${fact.type} result from ${fact.contract} on chain ${fact.chainId}.`,
      ],
    })
  return value
}

function decodePasses(result: unknown): PassHolding[] | undefined {
  if (!Array.isArray(result)) return undefined
  const [tokenIds, credits]: unknown[] = result
  if (!Array.isArray(tokenIds) || !Array.isArray(credits) || tokenIds.length !== credits.length)
    return undefined
  const passes: PassHolding[] = []
  for (const [index, tokenId] of tokenIds.entries()) {
    const credit: unknown = credits[index]
    if (typeof tokenId !== 'bigint' || typeof credit !== 'bigint') return undefined
    passes.push({ tokenId, creditMicroUsd: credit })
  }
  return passes
}
