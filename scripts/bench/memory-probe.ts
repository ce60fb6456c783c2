// Preloaded into the bench's server processes (`--expose-gc --import`): on SIGUSR2, collect garbage
// and print the memory use, so the bench measures live memory per socket rather than RSS noise.
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  const m = process.memoryUsage()
  process.stdout.write(`MEMORY ${JSON.stringify({ heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss })}\n`)
})
