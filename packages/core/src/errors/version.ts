// Reported in every error message; a test keeps it equal to package.json.
/** Version of `@accesspoint/core`. */
export const version = '0.1.0'
