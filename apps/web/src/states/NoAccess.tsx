import type { ReactNode } from 'react'
import { useAppConfig } from '../config/AppConfig'
import { LockIcon } from '../ui/icons'
import { Screen } from '../ui/Screen'

/** Signed in (or refused at sign-in) without a role: the wallet holds no AccessPass. */
export function NoAccess({ address, actions }: { address: string; actions?: ReactNode }) {
  const { isDev } = useAppConfig()
  return (
    <Screen testId="state-no-access" icon={<LockIcon />} title="This wallet has no AccessPass">
      <p className="lead">
        AccessPoint is for AccessPass holders: your pass is your membership and holds the credit
        your requests are paid from. <span className="mono">{address}</span> holds none, so there is
        nothing it may use yet.
      </p>
      <ul className="steps">
        <li>Get an AccessPass from the operator of this service (or buy one from a holder).</li>
        <li>Or connect another wallet that already holds one.</li>
        {isDev ? (
          <li>
            On the dev chain, disconnect and pick <strong>Dev account 1, 2 or 3</strong>: they hold
            passes #1–#3.
          </li>
        ) : null}
      </ul>
      {actions ? <div className="screen-actions">{actions}</div> : null}
    </Screen>
  )
}
