// The password rule the server enforces, read from the server so the forms' hints cannot drift.
export { PASSWORD_MIN_LENGTH } from '../../server/auth/password'
