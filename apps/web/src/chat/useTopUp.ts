import type { BalanceData } from '@accesspoint/client/query'
import { accessPassAbi, devChainAddresses, mockUsdcAbi } from '@accesspoint/contracts'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useConfig, useConnection } from 'wagmi'
import { readContract, waitForTransactionReceipt, writeContract } from 'wagmi/actions'
import { useAppConfig } from '../config/AppConfig'

export type TopUpStep = 'approving' | 'depositing' | 'crediting'

export type TopUpVariables = { tokenId: bigint /** In dollars, e.g. 10n. */; dollars: bigint }

/** The wallet's total available balance in the AccessPoint query cache. */
function cachedAvailable(queryClient: ReturnType<typeof useQueryClient>): bigint {
  return queryClient
    .getQueriesData<BalanceData>({ queryKey: ['accesspoint', 'balance'] })
    .flatMap(([, data]) => data ?? [])
    .reduce((sum, pass) => sum + pass.availableMicroUsd, 0n)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Adds credit to a pass from the connected wallet: approve the pass contract for the stablecoin
 * (6 decimals like USDC: one unit = one micro-USD of credit), then `AccessPass.deposit(tokenId,
 * amount)`; on the dev chain anyone may mint MockUSDC, so a wallet short of it gets some first.
 * Then waits until the server has seen the deposit (its chain watcher mirrors credit within a
 * block or so) by refetching the balance until it grows.
 */
export function useTopUp() {
  const config = useConfig()
  const queryClient = useQueryClient()
  const { discovery, chain, isDev } = useAppConfig()
  const { address } = useConnection()
  const [step, setStep] = useState<TopUpStep | undefined>(undefined)

  const mutation = useMutation({
    mutationKey: ['topUp'],
    mutationFn: async ({ tokenId, dollars }: TopUpVariables) => {
      if (!address) throw new Error('Connect a wallet first.')
      const pass = discovery.passContract ?? (isDev ? devChainAddresses.accessPass : undefined)
      if (!pass) throw new Error('The server names no AccessPass contract to deposit to.')
      const before = cachedAvailable(queryClient)
      const chainId = chain.id

      setStep('approving')
      const token = await readContract(config, {
        chainId,
        address: pass,
        abi: accessPassAbi,
        functionName: 'stablecoin',
      })
      const decimals = await readContract(config, {
        chainId,
        address: token,
        abi: mockUsdcAbi,
        functionName: 'decimals',
      })
      const amount = dollars * 10n ** BigInt(decimals)
      const held = await readContract(config, {
        chainId,
        address: token,
        abi: mockUsdcAbi,
        functionName: 'balanceOf',
        args: [address],
      })
      const send = async (request: Parameters<typeof writeContract>[1]) => {
        const hash = await writeContract(config, request)
        const receipt = await waitForTransactionReceipt(config, { chainId, hash })
        if (receipt.status !== 'success') throw new Error(`Transaction ${hash} reverted.`)
      }
      // MockUSDC is a faucet: anyone may mint (the dev chain only; never on a real network).
      if (held < amount && isDev)
        await send({
          chainId,
          address: token,
          abi: mockUsdcAbi,
          functionName: 'mint',
          args: [address, amount - held],
        })
      await send({
        chainId,
        address: token,
        abi: mockUsdcAbi,
        functionName: 'approve',
        args: [pass, amount],
      })

      setStep('depositing')
      await send({
        chainId,
        address: pass,
        abi: accessPassAbi,
        functionName: 'deposit',
        args: [tokenId, amount],
      })

      // The server learns of the deposit from the chain: ask until the balance shows it.
      setStep('crediting')
      for (let attempt = 0; attempt < 30; attempt++) {
        await queryClient.refetchQueries({ queryKey: ['accesspoint', 'balance'] })
        if (cachedAvailable(queryClient) > before) break
        await sleep(1_000)
      }
      await queryClient.invalidateQueries({ queryKey: ['accesspoint', 'me'] })
      return { amountMicroUsd: amount, availableMicroUsd: cachedAvailable(queryClient) }
    },
    onSettled: () => setStep(undefined),
  })
  return { ...mutation, step }
}
