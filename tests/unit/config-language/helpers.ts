// Shared fixtures for the config-language tests: the default config as a base that validates clean,
// and small editing helpers so each test states only what it changes.
import { expect } from 'vitest'
import { addressOf, defaultConfig, type ConfigIssue, type ConfigItem, type ValidationResult } from '../../../server/config-language'

export function baseConfig(): ConfigItem[] {
  return defaultConfig()
}

/** The item at `address` (throws when absent, so a typo in a test fails loudly). */
export function itemAt(items: ConfigItem[], address: string): ConfigItem {
  const item = items.find((i) => addressOf(i) === address)
  if (!item) throw new Error(`no item ${address}`)
  return item
}

// Content in tests is plain JSON we reach into freely.
type Json = any

export function edit(items: ConfigItem[], address: string, change: (content: Json) => void): ConfigItem[] {
  change(itemAt(items, address).content)
  return items
}

export function remove(items: ConfigItem[], address: string): ConfigItem[] {
  return items.filter((i) => addressOf(i) !== address)
}

export function fieldIndex(items: ConfigItem[], entity: string, name: string): number {
  const fields = (itemAt(items, `objects/${entity}/fields`).content as { fields: { name: string }[] }).fields
  const i = fields.findIndex((f) => f.name === name)
  if (i < 0) throw new Error(`no field ${entity}.${name}`)
  return i
}

/** Asserts one issue with exactly this item, code and path exists, and returns it. */
export function expectIssue(issues: ConfigIssue[], want: { item: string; code: string; path: (string | number)[] }): ConfigIssue {
  const found = issues.find((i) => i.item === want.item && i.code === want.code && JSON.stringify(i.path) === JSON.stringify(want.path))
  if (!found) {
    expect.fail(
      `expected ${want.code} at ${want.item} ${JSON.stringify(want.path)}; got:\n${issues.map((i) => `  ${i.code} ${i.item} ${JSON.stringify(i.path)}: ${i.message}`).join('\n')}`,
    )
  }
  return found
}

export function codes(result: ValidationResult): string[] {
  return [...result.errors, ...result.warnings].map((i) => i.code)
}
