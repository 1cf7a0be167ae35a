import { Component, type ErrorInfo, type ReactNode } from 'react'
import { errorCode, errorMessage } from '../ui/errors'

type Props = { children: ReactNode /** Where it sits, for the message. */; scope?: string }
type State = { error: unknown; hasError: boolean }

/** Never a blank page: whatever throws while rendering, say what and offer a way out. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, hasError: false }

  static getDerivedStateFromError(error: unknown): State {
    return { error, hasError: true }
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo) {
    // React already reports it in the console during development; nothing else to do here.
  }

  reset = () => this.setState({ error: undefined, hasError: false })

  override render() {
    if (!this.state.hasError) return this.props.children
    const { error } = this.state
    return (
      <div className="crash" role="alert" data-testid="app-error" data-code={errorCode(error)}>
        <h2>Something went wrong{this.props.scope ? ` in ${this.props.scope}` : ''}</h2>
        <p>{errorMessage(error)}</p>
        <p className="muted small">Code: {errorCode(error)}</p>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={this.reset}>
            Try again
          </button>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      </div>
    )
  }
}
