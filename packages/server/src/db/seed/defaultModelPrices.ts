/**
 * The price list `pnpm db:seed` loads: USD per million tokens, as decimal strings so no float
 * ever touches money. Operators edit this list (or insert new ModelPrice versions); a changed
 * price becomes a new version and existing charges keep the version they used.
 *
 * Provider prices were copied from the providers' public price pages; check them before selling.
 */
export const defaultModelPrices = [
  // The built-in `dev` provider: deterministic text, no key needed.
  { model: 'dev-mini', provider: 'dev', input: '0.10', cachedInput: '0.05', output: '0.40' },
  { model: 'dev-pro', provider: 'dev', input: '2.00', cachedInput: '1.00', output: '8.00' },
  { model: 'gpt-4o-mini', provider: 'openai', input: '0.15', cachedInput: '0.075', output: '0.60' },
  { model: 'gpt-4o', provider: 'openai', input: '2.50', cachedInput: '1.25', output: '10.00' },
  { model: 'gpt-4.1-mini', provider: 'openai', input: '0.40', cachedInput: '0.10', output: '1.60' },
  {
    model: 'claude-3-5-haiku-latest',
    provider: 'anthropic',
    input: '0.80',
    cachedInput: '0.08',
    output: '4.00',
  },
  {
    model: 'claude-sonnet-4-0',
    provider: 'anthropic',
    input: '3.00',
    cachedInput: '0.30',
    output: '15.00',
  },
] as const satisfies readonly ModelPriceInput[]

export type ModelPriceInput = {
  model: string
  provider: string
  /** USD per million input tokens, e.g. '0.15'. */
  input: string
  cachedInput: string
  output: string
}

/** Anvil's default-mnemonic accounts 1–4, the demo users of `pnpm dev` (lower-case). */
export const demoWalletAddresses = [
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
  '0x15d34aaf54267db7d7c367839aaf71a00a2c6a65',
] as const
