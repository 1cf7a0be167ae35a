import type { ReactNode } from 'react'

export type NoticeTone = 'info' | 'warning' | 'danger' | 'success'

/** A callout: a title, a sentence or two, and the actions that fix it. */
export function Notice({
  tone = 'info',
  title,
  children,
  actions,
  testId,
  code,
  role,
}: {
  tone?: NoticeTone
  title: ReactNode
  children?: ReactNode
  actions?: ReactNode
  testId?: string
  /** The error code, shown small and as `data-code`. */
  code?: string | undefined
  role?: 'alert' | 'status'
}) {
  return (
    <div
      className={`notice notice-${tone}`}
      data-testid={testId}
      data-code={code}
      role={role ?? (tone === 'danger' ? 'alert' : 'status')}
    >
      <div className="notice-body">
        <p className="notice-title">{title}</p>
        {children ? <div className="notice-text">{children}</div> : null}
        {code ? <p className="notice-code">Code: {code}</p> : null}
      </div>
      {actions ? <div className="notice-actions">{actions}</div> : null}
    </div>
  )
}
