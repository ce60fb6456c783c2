// Studio ergonomics through a real browser (issue 17 items 7 and 8): "Discard draft" asks first
// (Cancel keeps the draft, confirming drops it), the publish message is marked required, fields
// drag from one form section to another with the mouse and with the keyboard (and the saved draft
// says so after a reload), and a field created with "Add to this form" lands on the form.
import type { Locator, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { login, useE2E, open, saved } from './fixtures'

const e2e = useE2E()

const section = (page: Page, title: string) => page.getByRole('region', { name: `Section ${title}` })
const fieldsOf = (page: Page, title: string) => section(page, title).getByRole('list', { name: `Fields of section ${title}` })
async function names(list: Locator): Promise<string[]> {
  return (await list.locator(':scope > li .layout-field__name').allInnerTexts()).map((t) => t.split(/\s/)[0]!)
}
/** Waits until the section's field names (first words of the labels) satisfy `want`. */
async function waitForNames(page: Page, title: string, want: { is?: string[]; has?: string }) {
  await page.waitForFunction(
    ({ title, want }) => {
      const names = [...document.querySelectorAll(`ol[aria-label="Fields of section ${title}"] > li .layout-field__name`)].map(
        (el) => (el.textContent ?? '').trim().split(/\s/)[0],
      )
      return want.is ? names.join() === want.is.join() : names.includes(want.has!)
    },
    { title, want },
  )
}

const LAYOUT = '/studio/forms?entity=customer&tab=layout'

describe('Studio: confirmations', () => {
  test('"Discard draft" asks first: Cancel keeps the draft, confirming discards it', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, LAYOUT)
    await section(page, 'Profile').getByRole('button', { name: 'Move Tier up' }).click()
    await waitForNames(page, 'Profile', { is: ['Name', 'Company', 'Email', 'Phone', 'Tier', 'Owner'] })
    await saved(page)

    await page.getByRole('button', { name: 'Discard the draft of the form "default"' }).click()
    const ask = page.getByRole('alertdialog', { name: 'Discard the draft of the form "default"?' })
    await ask.waitFor()
    expect(await ask.innerText()).toContain('Every unpublished change to the form "default" is dropped')
    // Focus starts on the harmless choice.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    await ask.getByRole('button', { name: 'Cancel' }).click()
    await ask.waitFor({ state: 'detached' })
    expect(await names(fieldsOf(page, 'Profile'))).toEqual(['Name', 'Company', 'Email', 'Phone', 'Tier', 'Owner'])

    await page.getByRole('button', { name: 'Discard the draft of the form "default"' }).click()
    await ask.getByRole('button', { name: 'Discard draft' }).click()
    await waitForNames(page, 'Profile', { is: ['Name', 'Company', 'Email', 'Phone', 'Owner', 'Tier'] })
    await page.getByRole('button', { name: /^Discard the draft/ }).waitFor({ state: 'detached' })
  })

  test('the publish centre asks before discarding an item, and the publish message is marked required', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, LAYOUT)
    await section(page, 'Business').getByRole('button', { name: 'Move Tags up' }).click()
    await saved(page)
    await open(page, '/studio/publish')
    const item = page.getByTestId('pending-forms/customer/default')
    await item.getByRole('button', { name: 'Discard the draft of forms/customer/default' }).click()
    const ask = page.getByRole('alertdialog', { name: 'Discard the draft of forms/customer/default?' })
    await ask.getByRole('button', { name: 'Cancel' }).click()
    await ask.waitFor({ state: 'detached' })
    await item.waitFor()

    await page.getByRole('button', { name: 'Publish…' }).click()
    const dialog = page.getByRole('dialog', { name: /Publish version/ })
    const message = dialog.getByRole('textbox', { name: /Message/ })
    expect(await message.getAttribute('aria-required')).toBe('true')
    expect(await dialog.locator('label .required-mark').count()).toBe(1)
    const publish = dialog.getByRole('button', { name: /^Publish v/ })
    expect(await publish.isDisabled()).toBe(true)
    expect(await publish.getAttribute('title')).toBe('Write a message first')
    await message.fill('Tags first')
    expect(await publish.isEnabled()).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    await item.getByRole('button', { name: 'Discard the draft of forms/customer/default' }).click()
    await ask.getByRole('button', { name: 'Discard draft' }).click()
    await page.getByText('Discarded the draft of forms/customer/default.').waitFor()
    await item.waitFor({ state: 'detached' })
  })
})

describe('Studio: the form builder', () => {
  test('a field dragged with the mouse into another section moves there, and the saved draft keeps it', async () => {
    const { page } = e2e
    // Tall enough that both sections are on screen: a real pointer only drags within the window.
    await page.setViewportSize({ width: 1280, height: 1600 })
    await login(page, 'admin@acme.test')
    await open(page, LAYOUT)
    const handle = fieldsOf(page, 'Profile').getByTestId('drag-Phone')
    const target = fieldsOf(page, 'Business').getByTestId('sortable-item-Industry')
    await handle.scrollIntoViewIfNeeded()
    const start = (await handle.boundingBox())!
    await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2)
    await page.mouse.down()
    const to = (await target.boundingBox())!
    await page.mouse.move(to.x + to.width / 2, to.y + 6, { steps: 12 })
    await page.waitForFunction(() => document.querySelector('[data-drop-target="true"]')?.getAttribute('data-testid') === 'sortable-item-Industry')
    await page.mouse.up()
    await waitForNames(page, 'Business', { is: ['Phone', 'Industry', 'Annual', 'Tags'] })
    expect(await names(fieldsOf(page, 'Profile'))).toEqual(['Name', 'Company', 'Email', 'Owner', 'Tier'])
    // Reordering inside a section still works.
    await section(page, 'Business').getByRole('button', { name: 'Move Phone down' }).click()
    await waitForNames(page, 'Business', { is: ['Industry', 'Phone', 'Annual', 'Tags'] })
    await saved(page)
    await open(page, LAYOUT)
    expect(await names(fieldsOf(page, 'Business'))).toEqual(['Industry', 'Phone', 'Annual', 'Tags'])
    expect(await names(fieldsOf(page, 'Profile'))).toEqual(['Name', 'Company', 'Email', 'Owner', 'Tier'])
    await page.getByRole('button', { name: /^Discard the draft/ }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard draft' }).click()
    await waitForNames(page, 'Profile', { has: 'Phone' })
  })

  test('a field moves to another section with the keyboard (Space, arrows, Space)', async () => {
    const { page } = e2e
    await page.setViewportSize({ width: 1280, height: 1600 })
    await login(page, 'admin@acme.test')
    await open(page, LAYOUT)
    await fieldsOf(page, 'Profile').getByRole('button', { name: 'Drag Owner' }).focus()
    await page.keyboard.press('Space')
    await page.locator('[data-testid="sortable-item-Owner"].is-dragging').waitFor()
    const over = () =>
      page.evaluate(() => {
        const el = document.querySelector('li[data-drop-target="true"]')
        return el ? `${el.parentElement?.getAttribute('aria-label')} › ${el.getAttribute('data-testid')}` : ''
      })
    for (let i = 0; i < 8 && !(await over()).startsWith('Fields of section Business'); i++) {
      const before = await over()
      await page.keyboard.press('ArrowDown')
      // Each press moves the dragged field to the next place below: wait until it is over something new.
      await page.waitForFunction(
        (before) => {
          const el = document.querySelector('li[data-drop-target="true"]')
          return !!el && `${el.parentElement?.getAttribute('aria-label')} › ${el.getAttribute('data-testid')}` !== before
        },
        before,
        { timeout: 5_000 },
      )
    }
    const overBusiness = async () => (await over()).startsWith('Fields of section Business')
    expect(await overBusiness()).toBe(true)
    await page.keyboard.press('Space')
    await waitForNames(page, 'Business', { has: 'Owner' })
    expect(await names(fieldsOf(page, 'Profile'))).not.toContain('Owner')
    await saved(page)
    await open(page, LAYOUT)
    expect(await names(fieldsOf(page, 'Business'))).toContain('Owner')
    await page.getByRole('button', { name: /^Discard the draft/ }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Discard draft' }).click()
    await waitForNames(page, 'Profile', { has: 'Owner' })
  })

  test('a field created with "Add to this form" appears in the chosen section at once', async () => {
    const { page } = e2e
    await login(page, 'admin@acme.test')
    await open(page, '/studio/forms?entity=customer&tab=fields')
    await page.getByRole('button', { name: 'Add field' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add field' })
    await dialog.getByLabel('Label').fill('Loyalty ID')
    await dialog.getByLabel('Add to this form (Customer)').check()
    await dialog.getByLabel('Section').selectOption({ label: 'Business' })
    await dialog.getByRole('button', { name: 'Add field' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page.getByTestId('field-row-loyaltyId').waitFor()
    await saved(page)
    await page.getByRole('link', { name: 'Layout' }).click()
    await page.waitForURL((url) => url.searchParams.get('tab') === 'layout')
    await waitForNames(page, 'Business', { is: ['Industry', 'Annual', 'Tags', 'Loyalty'] })
  })
})
