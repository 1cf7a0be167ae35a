// Literals rather than `keccak256(...)` calls so they are compile-time types and cost nothing at
// import; a test checks them against the hashes and against the deployed contract.

/** OpenZeppelin's `DEFAULT_ADMIN_ROLE`: `bytes32(0)`, the admin of every other role. */
export const defaultAdminRole =
  '0x0000000000000000000000000000000000000000000000000000000000000000' as const

/** `keccak256("MINTER_ROLE")`: may `mint` passes. */
export const minterRole =
  '0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6' as const

/** `keccak256("BILLING_ROLE")`: may `settle` batches. */
export const billingRole =
  '0xc7dbcbd02b2453841b03d711b3fa5627fb034dc836d830d876e0d18e13025eb7' as const
