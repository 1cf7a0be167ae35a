import type { Model } from '@accesspoint/client'
import { usd } from '../ui/format'

/** "$0.10 in · $0.40 out per 1M tokens" */
export function priceLabel(model: Model): string {
  const { inputMicroUsdPerMillionTokens: input, outputMicroUsdPerMillionTokens: output } =
    model.price
  return `${usd(input)} in · ${usd(output)} out per 1M tokens`
}

export function ModelSelect({
  models,
  value,
  onChange,
  disabled,
}: {
  models: readonly Model[]
  value: string
  onChange: (id: string) => void
  disabled?: boolean
}) {
  const selected = models.find((model) => model.id === value)
  return (
    <div className="field model-field">
      <label htmlFor="model-select">Model</label>
      <select
        id="model-select"
        data-testid="model-select"
        value={value}
        disabled={disabled || models.length === 0}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby="model-price"
      >
        {models.length === 0 ? <option value="">No models available</option> : null}
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.id} — {priceLabel(model)}
          </option>
        ))}
      </select>
      <p id="model-price" className="muted small">
        {selected
          ? `${selected.dev ? 'Built-in dev model (deterministic text). ' : `${selected.provider}. `}${priceLabel(selected)}.`
          : 'Models your roles may use, with their prices.'}
      </p>
    </div>
  )
}
