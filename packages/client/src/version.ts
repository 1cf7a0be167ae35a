// Reported in every error message; a test keeps it equal to package.json.
/** Version of `@accesspoint/client`. */
export const version = '0.1.0'
