/**
 * Longest sign-in message accepted, in characters (a valid message is ASCII, so also bytes).
 * Checked before parsing so an oversized body costs no grammar work; real messages are a few
 * hundred characters even with a statement and several resources.
 */
export const siweMessageMaxLength = 8192
