// Moved to server/db/storable-input.ts (domains check storability too); kept for the API layer's imports.
export * from '../db/storable-input'
