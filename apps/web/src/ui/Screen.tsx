import type { ReactNode } from 'react'

/** A centered card for full-page states (connect, sign in, wrong chain, ...). */
export function Screen({
  icon,
  title,
  children,
  testId,
  wide,
}: {
  icon?: ReactNode
  title: ReactNode
  children: ReactNode
  testId?: string
  wide?: boolean
}) {
  return (
    <section className={`screen${wide ? ' screen-wide' : ''}`} data-testid={testId}>
      <div className="card screen-card">
        {icon ? (
          <div className="screen-icon" aria-hidden="true">
            {icon}
          </div>
        ) : null}
        <h1 className="screen-title">{title}</h1>
        {children}
      </div>
    </section>
  )
}
