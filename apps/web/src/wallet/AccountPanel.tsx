import type { MeData } from '@accesspoint/client/query'
import { useBalance } from '@accesspoint/react'
import { errorCode, errorMessage } from '../ui/errors'
import { formatDateTime, usd } from '../ui/format'
import { Spinner } from '../ui/Spinner'

/** Roles, passes and balance of the signed-in wallet; refetched after every request. */
export function AccountPanel({ me }: { me: MeData }) {
  const balance = useBalance()
  const passes = balance.data ?? []
  const total = (key: 'availableMicroUsd' | 'pendingMicroUsd' | 'heldMicroUsd') =>
    passes.reduce((sum, pass) => sum + pass[key], 0n)
  const available = total('availableMicroUsd')
  const suspended = passes.some((pass) => pass.suspended)

  return (
    <aside className="card account-panel" aria-label="Your account">
      <div className="balance">
        <p className="eyebrow">Available balance</p>
        {balance.data ? (
          <p
            className={`balance-amount${available === 0n ? ' balance-empty' : ''}`}
            data-testid="balance-available"
            data-micro-usd={available.toString()}
          >
            {usd(available)}
          </p>
        ) : balance.error ? (
          <p className="error-text" role="alert" data-code={errorCode(balance.error)}>
            {errorMessage(balance.error)}
          </p>
        ) : (
          <p className="balance-amount balance-loading">
            <Spinner size="sm" /> <span className="visually-hidden">Loading balance</span>
          </p>
        )}
        {balance.data ? (
          <p className="balance-detail muted small">
            Pending {usd(total('pendingMicroUsd'))} · held {usd(total('heldMicroUsd'))}
            {balance.isFetching ? <Spinner size="sm" /> : null}
          </p>
        ) : null}
        {suspended ? (
          <p className="error-text small">
            A pass is suspended until its unpaid settlement is topped up.
          </p>
        ) : null}
      </div>

      <div className="account-section">
        <p className="eyebrow">Roles</p>
        <ul className="chips" data-testid="roles">
          {me.roles.map((role) => (
            <li key={role} className="chip">
              {role}
            </li>
          ))}
        </ul>
      </div>

      <div className="account-section">
        <p className="eyebrow">Passes</p>
        {me.passes.length === 0 ? (
          <p className="muted small">No AccessPass: requests need a pass to pay from.</p>
        ) : (
          <ul className="passes">
            {me.passes.map((pass) => {
              const passBalance = passes.find((item) => item.tokenId === pass.tokenId)
              return (
                <li
                  key={`${pass.chainId}:${pass.contract}:${pass.tokenId}`}
                  className="pass"
                  data-testid={`pass-${pass.tokenId}`}
                  data-credit-micro-usd={pass.creditMicroUsd.toString()}
                >
                  <span className="pass-id">Pass #{pass.tokenId.toString()}</span>
                  <span className="pass-credit">
                    {usd(pass.creditMicroUsd)} <span className="muted">on-chain credit</span>
                  </span>
                  {passBalance && passes.length > 1 ? (
                    <span className="muted small">
                      {usd(passBalance.availableMicroUsd)} available
                    </span>
                  ) : null}
                </li>
              )
            })}
          </ul>
        )}
      </div>

      {me.session ? (
        <p className="muted small session-note">
          Signed in until {formatDateTime(me.session.expiresAt)}
        </p>
      ) : null}
    </aside>
  )
}
