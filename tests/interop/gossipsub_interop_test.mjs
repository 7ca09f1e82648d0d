// Interop test (ctest label `interop`): our GossipService against js-libp2p @libp2p/gossipsub
// 17.1.1 (StrictSign, /meshsub/1.2.0), topic `interop`.
//   node gossipsub_interop_test.mjs <path to hbp2p> <scratch dir> <path to gossip_peer>
// Our side is `gossip_peer` (tests/interop/gossip_peer.cc): a Host + GossipService driven by JSON lines.
// 1. two nodes (ours O1, js J1): messages flow both ways with the right author and payload.
// 2. mixed network of 3 ours + 3 js in an alternating ring (O1-J1-O2-J2-O3-J3-O1): every node
//    publishes 2 messages; every node receives each of the 10 others' messages exactly once.
// Every wait is bounded; exit 0 only if every check passed.
import './polyfill.mjs'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import { multiaddr } from '@multiformats/multiaddr'

const [, , gossipPeer] = process.argv.slice(2)
const fail = (msg) => { console.error('FAIL: ' + msg); cleanup(); process.exit(1) }
const check = (cond, msg) => { if (!cond) fail(msg); console.log('ok - ' + msg) }
setTimeout(() => fail('timed out after 150 s'), 150000).unref()

const TOPIC = 'interop'
const children = []
const cleanup = () => { for (const c of children) c.kill('SIGKILL') }
const hex = (u8) => Buffer.from(u8).toString('hex')
const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'))
const text = (s) => new TextEncoder().encode(s)

// One of our nodes (a gossip_peer process) and its JSON-lines channel.
async function startOurs (name, seed) {
  const proc = spawn(gossipPeer, ['--seed', String(seed)], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(proc)
  proc.on('exit', (code) => { if (code !== 0 && code !== null) fail(`${name} exited with ${code}`) })
  const waiting = []
  const backlog = []
  const received = []  // message events
  createInterface({ input: proc.stdout }).on('line', (l) => {
    let j
    try { j = JSON.parse(l) } catch { fail(`${name} printed a line that is not JSON: ${l}`) }
    if (j.event === 'message') { received.push(j); return }
    const i = waiting.findIndex((w) => w.match(j))
    if (i >= 0) waiting.splice(i, 1)[0].resolve(j)
    else backlog.push(j)
  })
  const next = (match) => {
    const i = backlog.findIndex(match)
    if (i >= 0) return Promise.resolve(backlog.splice(i, 1)[0])
    return new Promise((resolve) => waiting.push({ match, resolve }))
  }
  let nextId = 1
  const command = async (cmd) => {
    const id = nextId++
    proc.stdin.write(JSON.stringify({ id, ...cmd }) + '\n')
    return next((j) => j.id === id)
  }
  const hello = await next((j) => j.event === 'listening')
  return {
    name,
    ours: true,
    command,
    peer: hello.peer,
    addr: hello.addrs[0],
    received: () => received.map((m) => ({ author: m.author, data: Buffer.from(fromHex(m.data)).toString() })),
    subscribe: async () => check((await command({ cmd: 'subscribe', topic: TOPIC })).ok, `${name} subscribed`),
    publish: async (s) => command({ cmd: 'publish', topic: TOPIC, data: hex(text(s)) }),
    topicPeers: async () => (await command({ cmd: 'peers', topic: TOPIC })).topic_peers,
    dial: async (addr) => check((await command({ cmd: 'dial', addr })).ok, `${name} dialled ${addr}`)
  }
}

async function startJs (name) {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ allowPublishToZeroTopicPeers: true, emitSelf: false })
    }
  })
  const received = []
  node.services.pubsub.addEventListener('message', (evt) => {
    const m = evt.detail
    if (m.topic !== TOPIC) return
    received.push({ author: m.type === 'signed' ? m.from.toString() : '', data: Buffer.from(m.data).toString() })
  })
  return {
    name,
    ours: false,
    node,
    peer: node.peerId.toString(),
    addr: node.getMultiaddrs()[0].toString(),
    received: () => received,
    subscribe: async () => { node.services.pubsub.subscribe(TOPIC); check(true, `${name} subscribed`) },
    publish: async (s) => {
      const r = await node.services.pubsub.publish(TOPIC, text(s))
      return { ok: true, recipients: r.recipients.length }
    },
    topicPeers: async () => node.services.pubsub.getSubscribers(TOPIC).map(String),
    dial: async (addr) => { await node.dial(multiaddr(addr)); check(true, `${name} dialled ${addr}`) }
  }
}

// Polls `cond` every 50 ms for at most `ms`.
async function eventually (cond, ms, what) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  fail(`not reached within ${ms} ms: ${what}`)
}

const knows = async (a, b) => (await a.topicPeers()).includes(b.peer)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

try {
  // ---- 1. two nodes ---------------------------------------------------------------------
  const O1 = await startOurs('O1', 21)
  const J1 = await startJs('J1')
  await O1.subscribe()
  await J1.subscribe()
  await J1.dial(O1.addr)
  await eventually(async () => await knows(O1, J1) && await knows(J1, O1), 15000, 'O1 and J1 see each other on the topic')
  check(true, 'O1 and J1 exchanged subscriptions')

  const p1 = await J1.publish('from js J1')
  check(p1.recipients === 1, `J1 published to ${p1.recipients} peer`)
  await eventually(() => O1.received().some((m) => m.data === 'from js J1'), 10000, 'O1 received the js message')
  const m1 = O1.received().find((m) => m.data === 'from js J1')
  check(m1.author === J1.peer, 'O1 got the js message with the js author (StrictSign verified)')

  const p2 = await O1.publish('from ours O1')
  check(p2.ok && p2.recipients === 1, `O1 published to ${p2.recipients} peer`)
  await eventually(() => J1.received().some((m) => m.data === 'from ours O1'), 10000, 'J1 received our message')
  const m2 = J1.received().find((m) => m.data === 'from ours O1')
  check(m2.author === O1.peer, 'J1 got our message with our author (js verified our signature)')

  // ---- 2. mixed ring of 3 ours + 3 js ------------------------------------------------------
  const O2 = await startOurs('O2', 22)
  const O3 = await startOurs('O3', 23)
  const J2 = await startJs('J2')
  const J3 = await startJs('J3')
  const ring = [O1, J1, O2, J2, O3, J3]
  for (const n of [O2, O3, J2, J3]) await n.subscribe()
  // O1-J1 exists; J1-O2, O2-J2, J2-O3, O3-J3, J3-O1.
  await J1.dial(O2.addr)
  await O2.dial(J2.addr)
  await J2.dial(O3.addr)
  await O3.dial(J3.addr)
  await J3.dial(O1.addr)
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]
    const b = ring[(i + 1) % ring.length]
    await eventually(async () => await knows(a, b) && await knows(b, a), 15000, `${a.name} and ${b.name} see each other`)
  }
  check(true, 'every ring neighbour pair exchanged subscriptions')
  // Let a heartbeat or two build the meshes (both implementations graft on heartbeat).
  await sleep(2500)

  const before = new Map(ring.map((n) => [n.name, n.received().length]))
  const published = []
  for (const n of ring) {
    for (let k = 0; k < 2; k++) {
      const body = `ring ${n.name} #${k}`
      const r = await n.publish(body)
      check(r.ok, `${n.name} published "${body}" to ${r.recipients} peers`)
      published.push({ author: n.peer, body, by: n.name })
    }
  }
  for (const n of ring) {
    const expected = published.filter((p) => p.by !== n.name)
    await eventually(() => {
      const got = n.received().slice(before.get(n.name))
      return expected.every((p) => got.some((m) => m.data === p.body))
    }, 20000, `${n.name} received all ${expected.length} messages of the others`)
  }
  await sleep(1500)  // late duplicates would show up here
  for (const n of ring) {
    const got = n.received().slice(before.get(n.name))
    const expected = published.filter((p) => p.by !== n.name)
    check(got.length === expected.length, `${n.name} received ${got.length} messages, each exactly once (expected ${expected.length})`)
    for (const p of expected) {
      const copies = got.filter((m) => m.data === p.body)
      if (copies.length !== 1 || copies[0].author !== p.author) fail(`${n.name}: "${p.body}" arrived ${copies.length} times or with a wrong author`)
    }
  }
  for (const o of [O1, O2, O3]) {
    const s = await o.command({ cmd: 'stats' })
    check(s.ok && s.bad_frames === 0 && s.invalid === 0, `${o.name}: no bad frames, no invalid messages (rpcs in ${s.rpcs_in}, out ${s.rpcs_out})`)
  }
  for (const j of [J1, J2, J3]) await j.node.stop()
  cleanup()
  console.log('all gossipsub interop checks passed')
  process.exit(0)
} catch (e) {
  fail(String(e && e.stack || e))
}
