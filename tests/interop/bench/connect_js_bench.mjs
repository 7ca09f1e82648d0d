// Reference numbers for issue 5 (bench only, never a test): the same loopback measurements as
// bench/host_bench.cc, between two js-libp2p nodes (TCP + @chainsafe/libp2p-noise +
// @chainsafe/libp2p-yamux, identify, ping) in this one Node.js process and thread, so, as in
// host_bench, every number includes the work of both ends.
//   connect:      a fresh dialer node each time (made untimed), dial() until the connection is
//                 upgraded (TCP + /noise + yamux), then until the dialer's peer:identify event
//   ping warm:    one /ipfs/ping/1.0.0 stream kept open, 32 bytes out and back each time
//   ping new:     services.ping.ping(), a new stream per ping
//   throughput:   64 MiB in 1 MiB writes to a sink on one stream, and over 16 streams
// Usage: node tests/interop/bench/connect_js_bench.mjs [connects=200] [pings=2000]
// Prints one JSON object.
import '../polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import os from 'node:os'

const connects = Number(process.argv[2] ?? 200)
const pings = Number(process.argv[3] ?? 2000)
const SINK = '/bench/sink/1.0.0'
const PING = '/ipfs/ping/1.0.0'
const TOTAL = 64 * 1024 * 1024
const CHUNK = 1024 * 1024

// The listener's default inbound rate limit (5 connections per second per host) would refuse
// the connect loop; it is lifted, as it is absent in host_bench's hosts.
const makeNode = (listen) => createLibp2p({
  addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0'] : [] },
  connectionManager: { inboundConnectionThreshold: 1e9, maxIncomingPendingConnections: 1000 },
  // No periodic liveness pings (they would compete with the warm ping stream below).
  connectionMonitor: { enabled: false },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping({ maxOutboundStreams: 4, maxInboundStreams: 4 }) }
})

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }

// Reads exactly n bytes from a stream's async iterator.
async function readExactly (it, n) {
  let got = 0
  while (got < n) {
    const { value, done } = await it.next()
    if (done) throw new Error('stream ended early')
    got += value.byteLength
  }
}

const server = await makeNode(true)
const serverAddr = server.getMultiaddrs()[0]

// Sink: counts bytes per stream and resolves the waiter registered for that stream count.
let sinkWaiters = []
await server.handle(SINK, async (stream) => {
  let n = 0
  for await (const chunk of stream) n += chunk.byteLength
  await stream.close()
  const w = sinkWaiters.shift()
  if (w) w(n)
}, { maxInboundStreams: 64 })

const result = {
  reference: 'js-libp2p, both nodes in one Node.js process (one thread), loopback TCP',
  node: process.version,
  libp2p: JSON.parse(readFileSync(new URL('../node_modules/libp2p/package.json', import.meta.url))).version,
  noise: JSON.parse(readFileSync(new URL('../node_modules/@chainsafe/libp2p-noise/package.json', import.meta.url))).version,
  yamux: JSON.parse(readFileSync(new URL('../node_modules/@chainsafe/libp2p-yamux/package.json', import.meta.url))).version,
  cpu: os.cpus()[0]?.model,
  load_average: os.loadavg().map((x) => Number(x.toFixed(2)))
}

// Connect, and connect + identify.
{
  const connectMs = []
  const identifyMs = []
  let cpu0
  for (let i = 0; i < connects + 5; i++) {
    if (i === 5) cpu0 = process.cpuUsage()
    const client = await makeNode(false)
    const identified = new Promise((resolve) => {
      client.addEventListener('peer:identify', (evt) => {
        if (evt.detail.peerId.equals(server.peerId)) resolve()
      })
    })
    const t0 = performance.now()
    await client.dial(serverAddr)
    const t1 = performance.now()
    await identified
    const t2 = performance.now()
    if (i >= 5) { connectMs.push(t1 - t0); identifyMs.push(t2 - t0) }  // 5 warm-up rounds
    await client.stop()
  }
  const cpu = process.cpuUsage(cpu0)
  // CPU of this process per connect (both nodes; includes making and stopping the dialer node)
  result.connect_cycle_cpu_ms = (cpu.user + cpu.system) / 1000 / connects
  result.connect_noise_yamux_ms = { mean: mean(connectMs), median: median(connectMs), n: connectMs.length }
  result.connect_noise_yamux_identify_ms = { mean: mean(identifyMs), median: median(identifyMs), n: identifyMs.length }
}

const client = await makeNode(false)
await client.dial(serverAddr)

// Ping on a warm stream.
{
  const stream = await client.dialProtocol(serverAddr, PING)
  const it = stream[Symbol.asyncIterator]()
  const payload = randomBytes(32)
  const rtts = []
  let cpu0
  for (let i = 0; i < pings + 100; i++) {
    const t0 = performance.now()
    stream.send(payload)
    await readExactly(it, 32)
    if (i >= 100) rtts.push((performance.now() - t0) * 1000)
    if (i === 99) cpu0 = process.cpuUsage()
  }
  const cpu = process.cpuUsage(cpu0)
  result.ping_warm_cpu_us = (cpu.user + cpu.system) / pings
  await stream.close()
  result.ping_warm_stream_us = { mean: mean(rtts), median: median(rtts), n: rtts.length }
}

// Ping with a new stream each time.
{
  const rtts = []
  const n = Math.max(100, Math.floor(pings / 4))
  for (let i = 0; i < n + 20; i++) {
    const t0 = performance.now()
    await client.services.ping.ping(server.peerId)
    if (i >= 20) rtts.push((performance.now() - t0) * 1000)
  }
  result.ping_new_stream_us = { mean: mean(rtts), median: median(rtts), n: rtts.length }
}

// Throughput: TOTAL bytes over `streams` streams in CHUNK writes, until the sink has read all.
async function throughput (streams) {
  const chunk = new Uint8Array(CHUNK).fill(0x42)
  const per = TOTAL / streams
  const received = Array.from({ length: streams }, () => new Promise((resolve) => sinkWaiters.push(resolve)))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await Promise.all(Array.from({ length: streams }, async () => {
    const s = await client.dialProtocol(serverAddr, SINK)
    for (let sent = 0; sent < per; sent += CHUNK) {
      if (!s.send(chunk)) await s.onDrain()
    }
    await s.close()
  }))
  const counts = await Promise.all(received)
  const secs = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const cpuSecs = (cpu.user + cpu.system) / 1e6
  const bytes = counts.reduce((a, b) => a + b, 0)
  if (bytes !== TOTAL) throw new Error(`sink received ${bytes} of ${TOTAL} bytes`)
  return { mb_per_s: bytes / secs / 1e6, seconds: secs, cpu_seconds: cpuSecs, mb_per_cpu_s: bytes / cpuSecs / 1e6, bytes }
}
await throughput(1)  // warm-up
result.throughput_1_stream = await throughput(1)
result.throughput_16_streams = await throughput(16)

await client.stop()
await server.stop()
process.stdout.write(JSON.stringify(result, null, 2) + '\n')
process.exit(0)
