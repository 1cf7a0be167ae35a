import { useSwitchChain } from 'wagmi'
import { useAppConfig } from '../config/AppConfig'
import { errorMessage } from '../ui/errors'
import { ChainIcon } from '../ui/icons'
import { Notice } from '../ui/Notice'
import { Screen } from '../ui/Screen'
import { Spinner } from '../ui/Spinner'

/** The wallet is on another chain than the one the server signs in on. */
export function WrongChain({ walletChainId }: { walletChainId: number | undefined }) {
  const { chain } = useAppConfig()
  const switchChain = useSwitchChain()
  return (
    <Screen testId="state-wrong-chain" icon={<ChainIcon />} title="Switch network">
      <p className="lead">
        Your wallet is on{' '}
        {walletChainId === undefined ? 'another network' : `chain ${walletChainId}`}, but this
        AccessPoint server works with <strong>{chain.name}</strong> (chain id {chain.id}). Passes,
        balances and sign-in messages all live on that chain.
      </p>
      <button
        type="button"
        className="btn btn-primary"
        data-testid="switch-chain"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: chain.id })}
      >
        {switchChain.isPending ? <Spinner size="sm" /> : null}
        {switchChain.isPending ? 'Confirm in your wallet…' : `Switch to ${chain.name}`}
      </button>
      {switchChain.error ? (
        <Notice tone="danger" title="Could not switch network">
          {errorMessage(switchChain.error)} You can also switch to chain {chain.id} in your wallet.
        </Notice>
      ) : null}
    </Screen>
  )
}
