import { useEffect, useState } from 'react'
import { useAppConfig } from '../config/AppConfig'
import { errorCode, errorMessage, isBalanceError, retryAfterMs } from '../ui/errors'
import { usd } from '../ui/format'
import { Notice } from '../ui/Notice'
import { Spinner } from '../ui/Spinner'
import { useTopUp } from './useTopUp'

/** Why the last request failed, with what fixes it. `chat-error` carries the code. */
export function ChatError({
  error,
  passTokenId,
  onRetry,
}: {
  error: unknown
  /** The pass requests are billed to (the wallet's first). */
  passTokenId: bigint | undefined
  onRetry: () => void
}) {
  const code = errorCode(error)
  return (
    <div className="chat-error" data-testid="chat-error" data-code={code}>
      {isBalanceError(error) ? (
        <InsufficientBalance error={error} passTokenId={passTokenId} onRetry={onRetry} />
      ) : code === 'PROVIDER_UNAVAILABLE' ? (
        <ProviderUnavailable error={error} onRetry={onRetry} />
      ) : (
        <Notice
          tone="danger"
          title={titles[code] ?? 'The request failed'}
          code={code}
          actions={
            <button type="button" className="btn" onClick={onRetry}>
              Try again
            </button>
          }
        >
          {errorMessage(error)}
        </Notice>
      )}
    </div>
  )
}

const titles: Record<string, string> = {
  NETWORK_ERROR: 'The server could not be reached',
  RATE_LIMITED: 'Too many requests',
  COST_CAP_EXCEEDED: 'This request is too large',
  MODEL_NOT_FOUND: 'This model is not available',
  FORBIDDEN_ROLE: 'Your wallet no longer holds a pass',
  PROVIDER_ERROR: 'The model provider returned an error',
  TIMEOUT: 'The request took too long',
}

/** "This request needs $0.020016, available $0.01; ..." -> the two amounts. */
function amountsOf(message: string): { needed: string; available: string } | undefined {
  const match = /needs (\$[\d,.]+), available (\$[\d,.]+)/.exec(message)
  return match?.[1] && match[2] ? { needed: match[1], available: match[2] } : undefined
}

function InsufficientBalance({
  error,
  passTokenId,
  onRetry,
}: {
  error: unknown
  passTokenId: bigint | undefined
  onRetry: () => void
}) {
  const { isDev } = useAppConfig()
  const topUp = useTopUp()
  const message = errorMessage(error)
  const amounts = amountsOf(message)
  const suspended = errorCode(error) === 'PAYMENT_FAILED'
  const dollars = 10n

  return (
    <section className="notice notice-warning" data-testid="state-insufficient-balance">
      <div className="notice-body">
        <p className="notice-title">
          {suspended ? 'Your pass is suspended until it is topped up' : 'Not enough balance'}
        </p>
        {amounts ? (
          <dl className="amounts">
            <div>
              <dt>This request needs</dt>
              <dd>{amounts.needed}</dd>
            </div>
            <div>
              <dt>Available</dt>
              <dd>{amounts.available}</dd>
            </div>
          </dl>
        ) : null}
        <p className="notice-text">{message}</p>
        {!isDev ? (
          <p className="notice-text">
            Add credit to your pass: deposit USDC to it with the AccessPass contract&apos;s{' '}
            <code>deposit(tokenId, amount)</code>, or use a cheaper model or a shorter prompt.
          </p>
        ) : null}
        {topUp.isSuccess ? (
          <p className="notice-text success-text" role="status">
            Added {usd(topUp.data.amountMicroUsd)} to pass #{passTokenId?.toString()}. Available
            now: {usd(topUp.data.availableMicroUsd)}.
          </p>
        ) : null}
        {topUp.error ? (
          <p className="notice-text error-text" role="alert">
            Top-up failed: {errorMessage(topUp.error)}
          </p>
        ) : null}
      </div>
      <div className="notice-actions">
        {isDev && passTokenId !== undefined && !topUp.isSuccess ? (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="top-up"
            disabled={topUp.isPending}
            onClick={() => topUp.mutate({ tokenId: passTokenId, dollars })}
          >
            {topUp.isPending ? <Spinner size="sm" /> : null}
            {topUp.step === 'approving'
              ? 'Approving USDC…'
              : topUp.step === 'depositing'
                ? 'Depositing…'
                : topUp.step === 'crediting'
                  ? 'Waiting for the server…'
                  : `Top up $${dollars} (dev chain)`}
          </button>
        ) : null}
        <button
          type="button"
          className={topUp.isSuccess ? 'btn btn-primary' : 'btn'}
          onClick={onRetry}
          disabled={topUp.isPending}
        >
          Send again
        </button>
      </div>
    </section>
  )
}

function ProviderUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const wait = retryAfterMs(error)
  const [until] = useState(() => (wait === undefined ? undefined : Date.now() + wait))
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [until])
  const seconds = until === undefined ? undefined : Math.max(0, Math.ceil((until - now) / 1000))
  return (
    <section
      className="notice notice-warning banner"
      data-testid="state-provider-unavailable"
      role="alert"
    >
      <div className="notice-body">
        <p className="notice-title">The model provider is unavailable</p>
        <p className="notice-text">
          {seconds === undefined
            ? 'It is failing right now; try again in a little while.'
            : seconds > 0
              ? `It is failing right now. Try again in ${seconds} s.`
              : 'You can try again now.'}{' '}
          Nothing was charged. Another model may still work.
        </p>
      </div>
      <div className="notice-actions">
        <button
          type="button"
          className="btn"
          onClick={onRetry}
          disabled={seconds !== undefined && seconds > 0}
        >
          Try again
        </button>
      </div>
    </section>
  )
}
