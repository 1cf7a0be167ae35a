import { useAccessPointClient, useSignIn } from '@accesspoint/react'
import { useDisconnect } from 'wagmi'
import { NoAccess } from '../states/NoAccess'
import { errorCode, errorMessage, isUserRejection } from '../ui/errors'
import { ClockIcon, SignatureIcon } from '../ui/icons'
import { Notice } from '../ui/Notice'
import { Screen } from '../ui/Screen'
import { Spinner } from '../ui/Spinner'

/**
 * Connected, not signed in: one signature (Sign-In with Ethereum) opens a session. With
 * `expired`, the wallet had a session that ended: the same, worded as "sign in again".
 */
export function SignInScreen({ address, expired }: { address: string; expired: boolean }) {
  const client = useAccessPointClient()
  const signIn = useSignIn()
  const { mutate: disconnect } = useDisconnect()
  // The provider makes a client for the wallet once wagmi hands out its wallet client.
  const ready = client.address?.toLowerCase() === address.toLowerCase()
  // An expired session must not be reused: ask for a new one.
  const start = () => signIn.mutate({ force: expired })
  const code = signIn.error ? errorCode(signIn.error) : undefined

  if (code === 'FORBIDDEN_ROLE')
    return (
      <NoAccess
        address={address}
        actions={
          <>
            <button type="button" className="btn btn-primary" onClick={start}>
              {signIn.isPending ? <Spinner size="sm" /> : null}I have a pass now, check again
            </button>
            <button type="button" className="btn" onClick={() => disconnect()}>
              Use another wallet
            </button>
          </>
        }
      />
    )

  const button = (
    <button
      type="button"
      className="btn btn-primary btn-lg"
      data-testid="sign-in"
      disabled={!ready || signIn.isPending}
      onClick={start}
    >
      {signIn.isPending || !ready ? <Spinner size="sm" /> : null}
      {signIn.isPending ? 'Check your wallet…' : expired ? 'Sign in again' : 'Sign in with wallet'}
    </button>
  )

  const explanation = (
    <ul className="checklist">
      <li>
        Your wallet shows a short <strong>Sign-In with Ethereum</strong> message for this site.
        Signing it proves you own <span className="mono">{address}</span>.
      </li>
      <li>
        It is <strong>free</strong>: no gas, no transaction, nothing leaves your wallet.
      </li>
      <li>One signature keeps you signed in on this browser for up to 24 hours.</li>
    </ul>
  )

  const error =
    signIn.error && code !== 'FORBIDDEN_ROLE' ? (
      <Notice
        tone={isUserRejection(signIn.error) ? 'warning' : 'danger'}
        title={isUserRejection(signIn.error) ? 'Signature declined' : 'Sign-in failed'}
        code={isUserRejection(signIn.error) ? undefined : code}
        testId="sign-in-error"
      >
        {isUserRejection(signIn.error)
          ? 'Nothing was signed. Sign in when you are ready.'
          : errorMessage(signIn.error)}
      </Notice>
    ) : null

  if (expired)
    return (
      <Screen
        testId="state-session-expired"
        icon={<ClockIcon />}
        title="Your session expired — sign in again"
      >
        <p className="lead">
          Sessions last up to a day and end when you sign out elsewhere or an operator ends them.
          Sign once more to continue where you left off.
        </p>
        {explanation}
        {button}
        {error}
      </Screen>
    )

  return (
    <Screen icon={<SignatureIcon />} title="Sign in to AccessPoint">
      <p className="lead">
        Your wallet is connected. Sign in to see your pass, balance and models.
      </p>
      {explanation}
      {button}
      {error}
    </Screen>
  )
}
