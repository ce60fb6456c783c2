import { describe, expect, it } from 'vitest'
import { isPrivateAddress } from '../../../server/automation/webhook-destination'
import { parseRetryAfter } from '../../../server/automation/webhook-delivery'
import { signPulse8, verifyPulse8Signature } from '../../../server/automation/webhook-signature'

describe('isPrivateAddress (the SSRF guard)', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true)
  })

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T10:00:00Z')
  it('reads seconds and HTTP dates, capped', () => {
    expect(parseRetryAfter('3', 60_000, now)).toBe(3_000)
    expect(parseRetryAfter('3600', 60_000, now)).toBe(60_000)
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:05 GMT', 60_000, now)).toBe(5_000)
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', 60_000, now)).toBe(0)
    expect(parseRetryAfter('soon', 60_000, now)).toBeUndefined()
    expect(parseRetryAfter(undefined, 60_000, now)).toBeUndefined()
  })
})

describe('Pulse8-Signature', () => {
  const body = '{"event":"record.created"}'
  it('verifies its own signature and refuses a changed body, another secret, an old timestamp', () => {
    const header = signPulse8(body, 'whsec_a', 1_700_000_000)
    expect(verifyPulse8Signature(header, body, 'whsec_a', 300, 1_700_000_100)).toBe(true)
    expect(verifyPulse8Signature(header, `${body} `, 'whsec_a', 300, 1_700_000_100)).toBe(false)
    expect(verifyPulse8Signature(header, body, 'whsec_b', 300, 1_700_000_100)).toBe(false)
    expect(verifyPulse8Signature(header, body, 'whsec_a', 300, 1_700_000_301)).toBe(false)
    expect(verifyPulse8Signature('t=1,v1=zz', body, 'whsec_a')).toBe(false)
    expect(verifyPulse8Signature(undefined, body, 'whsec_a')).toBe(false)
  })
})
