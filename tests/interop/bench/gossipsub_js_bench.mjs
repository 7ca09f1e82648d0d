// js-libp2p reference numbers for bench/gossipsub_net_bench.cc (test-only, run by hand in the
// same session): two @libp2p/gossipsub 17.1.1 nodes in this process over /noise + yamux on
// 127.0.0.1, 1 KiB messages.
//   node tests/interop/bench/gossipsub_js_bench.mjs
// Prints one JSON line per measurement: 2-node messages/s received (2,000 messages each, StrictSign, StrictNoSign;
// at most 2,048 in flight, as our bench) and paced one-at-a-time latency p50/p99 (500 samples).
import '../polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub, StrictSign, StrictNoSign } from '@libp2p/gossipsub'

const TOPIC = 'bench'
const node = (policy) => createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    pubsub: gossipsub({ globalSignaturePolicy: policy, allowPublishToZeroTopicPeers: true, emitSelf: false })
  }
})
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function pair (policy) {
  const a = await node(policy)
  const b = await node(policy)
  a.services.pubsub.subscribe(TOPIC)
  b.services.pubsub.subscribe(TOPIC)
  await a.dial(b.getMultiaddrs()[0])
  const end = Date.now() + 20000
  while (Date.now() < end &&
         !(a.services.pubsub.getSubscribers(TOPIC).length && b.services.pubsub.getSubscribers(TOPIC).length)) await sleep(20)
  await sleep(1500)  // a heartbeat builds the mesh
  return { a, b }
}

function payload (n) {
  const b = new Uint8Array(1024).fill(0xa5)
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true)
  return b
}

async function throughput (policy) {
  const { a, b } = await pair(policy)
  const N = 2000
  const WINDOW = 2048
  let received = 0
  let wake = null
  b.services.pubsub.addEventListener('message', () => { received++; if (wake) { const w = wake; wake = null; w() } })
  const t0 = process.hrtime.bigint()
  let sent = 0
  while (received < N) {
    while (sent < N && sent - received < WINDOW) { a.services.pubsub.publish(TOPIC, payload(sent++)).catch(() => {}) }
    await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 100) })
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  console.log(JSON.stringify({ bench: 'js_two_node_throughput', policy, messages: N, msgs_per_s: N / s }))
  await a.stop(); await b.stop()
}

async function latency (policy) {
  const { a, b } = await pair(policy)
  let resolveNext = null
  b.services.pubsub.addEventListener('message', () => { if (resolveNext) { const r = resolveNext; resolveNext = null; r() } })
  const ms = []
  for (let i = 0; i < 500; i++) {
    const got = new Promise((resolve) => { resolveNext = resolve })
    const t0 = process.hrtime.bigint()
    await a.services.pubsub.publish(TOPIC, payload(i))
    await got
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  ms.sort((x, y) => x - y)
  console.log(JSON.stringify({ bench: 'js_two_node_paced_latency', policy, samples: ms.length,
    p50_ms: ms[Math.floor(ms.length * 0.5)], p99_ms: ms[Math.floor(ms.length * 0.99)] }))
  await a.stop(); await b.stop()
}

for (const p of [StrictSign, StrictNoSign]) await throughput(p)
for (const p of [StrictSign, StrictNoSign]) await latency(p)
process.exit(0)
