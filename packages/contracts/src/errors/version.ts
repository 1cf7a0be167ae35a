// Reported in every error message; a test keeps it equal to package.json.
/** Version of `@accesspoint/contracts`. */
export const version = '0.1.0'
