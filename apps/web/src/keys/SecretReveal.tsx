import { useRef, useState } from 'react'
import { KeyIcon } from '../ui/icons'

/** The new key's secret, shown once: copy it now, it is never shown again. */
export function SecretReveal({
  secret,
  name,
  onDone,
}: {
  secret: string
  name: string
  onDone: () => void
}) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const text = useRef<HTMLElement>(null)

  const copyToClipboard = async () => {
    try {
      await navigator.clipboard.writeText(secret)
      setCopy('copied')
    } catch {
      // No clipboard permission (or an insecure origin): select it for a manual copy.
      const node = text.current
      if (node) window.getSelection()?.selectAllChildren(node)
      setCopy('failed')
    }
  }

  return (
    <section className="card secret" aria-labelledby="secret-title">
      <div className="secret-head">
        <span className="screen-icon small-icon" aria-hidden="true">
          <KeyIcon />
        </span>
        <h2 className="section-title" id="secret-title">
          Your new key “{name}”
        </h2>
      </div>
      <p className="notice notice-warning secret-warning" role="status">
        Copy it now and keep it somewhere safe: it will not be shown again. Anyone with it can spend
        your pass&apos;s credit.
      </p>
      <div className="secret-box">
        <code ref={text} data-testid="key-secret" className="secret-value">
          {secret}
        </code>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="key-copy"
          onClick={() => void copyToClipboard()}
        >
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small" role="status">
        {copy === 'copied'
          ? 'Copied to the clipboard.'
          : copy === 'failed'
            ? 'Could not copy automatically: the key is selected, copy it with your keyboard.'
            : ''}
      </p>
      <button type="button" className="btn" onClick={onDone}>
        I have saved it
      </button>
    </section>
  )
}
