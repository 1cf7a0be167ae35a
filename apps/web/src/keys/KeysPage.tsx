import type { ApiKey } from '@accesspoint/client'
import type { MeData } from '@accesspoint/client/query'
import { useApiKeys } from '@accesspoint/react'
import { useState } from 'react'
import { errorCode, errorMessage } from '../ui/errors'
import { formatDate, formatRelative } from '../ui/format'
import { Notice } from '../ui/Notice'
import { Spinner } from '../ui/Spinner'
import { CreateKeyForm } from './CreateKeyForm'

/** API keys: create (secret shown once), list, revoke. Managing keys needs the wallet session. */
export function KeysPage({ me }: { me: MeData }) {
  const { list, create, revoke } = useApiKeys()
  const keys = list.data ?? []
  const active = keys.filter((key) => !key.revokedAt)
  const revoked = keys.filter((key) => key.revokedAt)

  return (
    <div className="stack">
      <CreateKeyForm me={me} create={create} />
      <section className="card">
        <div className="section-head">
          <h2 className="section-title">Your keys</h2>
          {list.isFetching ? <Spinner size="sm" /> : null}
        </div>
        {list.error ? (
          <Notice tone="danger" title="Could not load your keys" code={errorCode(list.error)}>
            {errorMessage(list.error)}
          </Notice>
        ) : list.isPending ? (
          <p className="muted">
            <Spinner size="sm" /> Loading keys…
          </p>
        ) : active.length === 0 ? (
          <p className="muted empty-state">No active keys. Create one above for your bots.</p>
        ) : (
          <ul className="key-list">
            {active.map((key) => (
              <KeyRow key={key.id} apiKey={key} revoke={revoke} />
            ))}
          </ul>
        )}
        {revoke.error ? (
          <Notice tone="danger" title="Could not revoke the key" code={errorCode(revoke.error)}>
            {errorMessage(revoke.error)}
          </Notice>
        ) : null}
        {revoked.length > 0 ? (
          <details className="revoked">
            <summary>Revoked keys ({revoked.length})</summary>
            <ul className="key-list">
              {revoked.map((key) => (
                <li key={key.id} className="key-row key-row-revoked" data-key-id={key.id}>
                  <KeyDetails apiKey={key} />
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
    </div>
  )
}

function KeyRow({
  apiKey,
  revoke,
}: {
  apiKey: ApiKey
  revoke: ReturnType<typeof useApiKeys>['revoke']
}) {
  const [confirming, setConfirming] = useState(false)
  const revoking = revoke.isPending && revoke.variables?.id === apiKey.id
  return (
    <li className="key-row" data-testid="key-row" data-key-id={apiKey.id}>
      <KeyDetails apiKey={apiKey} />
      <div className="key-actions">
        {confirming ? (
          <fieldset className="confirm">
            <legend className="visually-hidden">Revoke {apiKey.name}?</legend>
            <span className="small">Revoke? Apps using it stop working at once.</span>
            <button
              type="button"
              className="btn btn-danger btn-sm"
              data-testid="key-revoke-confirm"
              disabled={revoking}
              onClick={() => revoke.mutate({ id: apiKey.id })}
            >
              {revoking ? <Spinner size="sm" /> : null}
              Revoke
            </button>
            <button
              type="button"
              className="btn btn-sm btn-ghost"
              disabled={revoking}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </fieldset>
        ) : (
          <button
            type="button"
            className="btn btn-sm"
            data-testid="key-revoke"
            onClick={() => setConfirming(true)}
          >
            Revoke
          </button>
        )}
      </div>
    </li>
  )
}

function KeyDetails({ apiKey }: { apiKey: ApiKey }) {
  return (
    <div className="key-details">
      <p className="key-name">
        {apiKey.name}
        {apiKey.revokedAt ? <span className="tag">revoked</span> : null}
      </p>
      <p className="key-meta">
        <span className="mono">{apiKey.prefix}…</span>
        {apiKey.scopes.map((scope) => (
          <span key={scope} className="tag">
            {scope}
          </span>
        ))}
        {apiKey.pass ? <span>pass #{apiKey.pass.tokenId.toString()}</span> : null}
      </p>
      <p className="key-meta muted small">
        <span>Created {formatDate(apiKey.createdAt)}</span>
        <span>
          {apiKey.lastUsedAt ? `Last used ${formatRelative(apiKey.lastUsedAt)}` : 'Never used'}
        </span>
        {apiKey.revokedAt ? (
          <span>Revoked {formatRelative(apiKey.revokedAt)}</span>
        ) : apiKey.expiresAt ? (
          <span>
            {apiKey.expiresAt.getTime() > Date.now() ? 'Expires' : 'Expired'}{' '}
            {formatRelative(apiKey.expiresAt)}
          </span>
        ) : (
          <span>No expiry</span>
        )}
      </p>
    </div>
  )
}
