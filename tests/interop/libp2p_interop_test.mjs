// Interop test (ctest label `interop`): our `hbp2p node` against js-libp2p 3 (tcp, noise,
// yamux, identify, ping), both directions.
//   node libp2p_interop_test.mjs <path to hbp2p> <scratch dir>
// 1. js dials ours: /noise + yamux, three pings, identify reports our listen addresses and
//    protocols. 2. ours dials js (JSON command `dial`), pings it (`ping`), and `peers` shows the
//    js node's identify data. Every wait is bounded; exit 0 only if every check passed.
import './polyfill.mjs'
import { spawn, execFileSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

const [hbp2p, scratch] = process.argv.slice(2)
const fail = (msg) => { console.error('FAIL: ' + msg); process.exit(1) }
const check = (cond, msg) => { if (!cond) fail(msg); console.log('ok - ' + msg) }
setTimeout(() => fail('timed out after 60 s'), 60000).unref()

mkdirSync(scratch, { recursive: true })
const keyFile = join(scratch, 'interop.key')
execFileSync(hbp2p, ['keygen', '--type', 'ed25519', '--out', keyFile, '--force'])

// Our node, driven through its JSON-lines channel.
const ours = spawn(hbp2p, ['node', '--key', keyFile, '--listen', '/ip4/127.0.0.1/tcp/0', '--json'],
  { stdio: ['pipe', 'pipe', 'inherit'] })
const lines = createInterface({ input: ours.stdout })
const waiting = []
const backlog = []
lines.on('line', (l) => {
  const j = JSON.parse(l)
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
  ours.stdin.write(JSON.stringify({ id, ...cmd }) + '\n')
  return next((j) => j.id === id)
}

const listening = await next((j) => j.event === 'listening')
const ourAddr = listening.addrs[0]
const ourListen = ourAddr.replace(/\/p2p\/.*$/, '')

const jsNode = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})

// 1. js dials ours.
const identified = new Promise((resolve) => jsNode.addEventListener('peer:identify', (e) => resolve(e.detail)))
const conn = await jsNode.dial(multiaddr(ourAddr))
check(conn.remotePeer.toString() === listening.peer_id, 'js dialled our node and authenticated its PeerId')
check(conn.encryption === '/noise', `js negotiated /noise (got ${conn.encryption})`)
check(conn.multiplexer === '/yamux/1.0.0', `js negotiated /yamux/1.0.0 (got ${conn.multiplexer})`)
for (let i = 0; i < 3; i++) {
  const rtt = await jsNode.services.ping.ping(multiaddr(ourAddr))
  check(typeof rtt === 'number', `js ping ${i + 1} of our node answered (${rtt} ms)`)
}
const id = await identified
check(id.agentVersion.startsWith('hbp2p/'), `identify agent is ${id.agentVersion}`)
check(id.listenAddrs.map(String).includes(ourListen), `identify lists our listen address ${ourListen}`)
for (const p of ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'])
  check(id.protocols.includes(p), `identify lists protocol ${p}`)
await jsNode.hangUp(multiaddr(ourAddr))

// 2. ours dials js.
const jsAddr = jsNode.getMultiaddrs()[0].toString()
const dial = await command({ cmd: 'dial', addr: jsAddr })
check(dial.ok === true && dial.peer === jsNode.peerId.toString(), `our node dialled js (${JSON.stringify(dial)})`)
const pong = await command({ cmd: 'ping', peer: jsNode.peerId.toString(), count: 3 })
check(pong.ok === true && pong.rtts_ms.length === 3, `our node pinged js 3 times (${JSON.stringify(pong.rtts_ms)})`)
let peer
for (let tries = 0; tries < 100; tries++) {  // identify runs right after connecting; poll briefly
  const peers = await command({ cmd: 'peers' })
  peer = peers.peers.find((p) => p.peer === jsNode.peerId.toString())
  if (peer && peer.protocols.length > 0) break
  await new Promise((r) => setTimeout(r, 50))
}
check(peer && peer.security === '/noise', 'peers lists the js node over /noise')
check(peer.protocols.includes('/ipfs/ping/1.0.0') && peer.protocols.includes('/ipfs/id/1.0.0'),
  `our identify of js lists its protocols (${peer.protocols.length})`)
check(peer.agent.length > 0, `our identify of js has its agent (${peer.agent})`)
check(peer.addrs.includes(jsAddr.replace(/\/p2p\/.*$/, '')), 'our identify of js has its listen address')

const bye = await command({ cmd: 'shutdown' })
check(bye.ok === true, 'our node shut down on request')
await jsNode.stop()
console.log('all interop checks passed')
process.exit(0)
