// The password rule, shared by the server (which enforces it) and the browser's forms (which show
// it as a hint and check it before sending), so the two cannot drift.
export const PASSWORD_MIN_LENGTH = 8
