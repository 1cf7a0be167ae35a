import type { ApiKeyScope } from '@accesspoint/client'
import type { MeData } from '@accesspoint/client/query'
import type { UseApiKeysReturnType } from '@accesspoint/react'
import { type FormEvent, useId, useState } from 'react'
import { errorCode, errorMessage } from '../ui/errors'
import { Notice } from '../ui/Notice'
import { Spinner } from '../ui/Spinner'
import { SecretReveal } from './SecretReveal'

const expiryOptions = [
  { value: '', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
] as const

const scopeOptions: { scope: ApiKeyScope; label: string; hint: string }[] = [
  { scope: 'ai', label: 'ai', hint: 'completions and streams, billed to the pass' },
  { scope: 'read', label: 'read', hint: 'balance, usage and who am I' },
]

/** Creates a key; its secret is shown once, right here. */
export function CreateKeyForm({
  me,
  create,
}: {
  me: MeData
  create: UseApiKeysReturnType['create']
}) {
  const id = useId()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['ai', 'read'])
  const [expiry, setExpiry] = useState('')
  const [pass, setPass] = useState(() => me.passes[0]?.tokenId.toString() ?? '')

  if (create.data)
    return (
      <SecretReveal
        secret={create.data.secret}
        name={create.data.key.name}
        onDone={() => create.reset()}
      />
    )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim() || scopes.length === 0) return
    create.mutate(
      {
        name: name.trim(),
        scopes,
        passTokenId: pass ? BigInt(pass) : undefined,
        expiresInDays: expiry ? Number(expiry) : undefined,
      },
      { onSuccess: () => setName('') },
    )
  }

  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((current) =>
      on ? [...new Set([...current, scope])] : current.filter((item) => item !== scope),
    )

  return (
    <form className="card key-form" onSubmit={submit}>
      <h2 className="section-title">Create an API key</h2>
      <p className="muted small">
        For bots and tools: use it as <code>Authorization: Bearer ap_live_…</code> with the
        OpenAI-compatible API at <code>/v1</code>. Requests are billed to the pass you pick.
      </p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            data-testid="key-name-input"
            type="text"
            value={name}
            maxLength={64}
            required
            autoComplete="off"
            placeholder="e.g. trading-bot"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pass`}>Pass to bill</label>
          <select
            id={`${id}-pass`}
            value={pass}
            onChange={(event) => setPass(event.target.value)}
            disabled={me.passes.length === 0}
          >
            {me.passes.length === 0 ? <option value="">No pass</option> : null}
            {me.passes.map((item) => (
              <option key={item.tokenId.toString()} value={item.tokenId.toString()}>
                Pass #{item.tokenId.toString()}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expiry`}>Expires</label>
          <select
            id={`${id}-expiry`}
            value={expiry}
            onChange={(event) => setExpiry(event.target.value)}
          >
            {expiryOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field scopes">
          <legend>Scopes</legend>
          {scopeOptions.map((option) => (
            <label key={option.scope} className="checkbox">
              <input
                type="checkbox"
                data-testid={`key-scope-${option.scope}`}
                checked={scopes.includes(option.scope)}
                onChange={(event) => toggle(option.scope, event.target.checked)}
              />
              <span>
                <strong className="mono">{option.label}</strong>{' '}
                <span className="muted small">{option.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      </div>
      {scopes.length === 0 ? <p className="error-text small">Pick at least one scope.</p> : null}
      {create.error ? (
        <Notice tone="danger" title="Could not create the key" code={errorCode(create.error)}>
          {errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="row">
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="key-create"
          disabled={create.isPending || !name.trim() || scopes.length === 0}
        >
          {create.isPending ? <Spinner size="sm" /> : null}
          Create key
        </button>
      </div>
    </form>
  )
}
