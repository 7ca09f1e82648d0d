// Interop test (ctest label `interop`): our KadService against js-libp2p @libp2p/kad-dht 16.4.5
// (server mode, /ipfs/kad/1.0.0), both directions.
//   node kad_interop_test.mjs <path to hbp2p> <scratch dir> <path to kad_peer>
// Our side is `kad_peer` (tests/interop/kad_peer.cc): a Host + KadService driven by JSON lines.
// 1. js finds ours: our nodes A and B (B bootstrapped from A, B provides K1); js node J1 knows
//    only A. J1's findPeer(B) and findProviders(K1) must succeed through A's FIND_NODE and
//    GET_PROVIDERS answers.
// 2. ours finds js: js node J2 knows only J1 and provides K2; our node C bootstraps from J1 only.
//    C's find_peer(J2), find_providers(K2) and closest_peers must succeed through J1's answers.
// 3. records: J1 stores a value at A (PUT_VALUE from js), C reads it (GET_VALUE by ours), and a
//    value put by ours is read by js.
// Every wait is bounded; exit 0 only if every check passed.
import './polyfill.mjs'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as raw from 'multiformats/codecs/raw'

const [, , kadPeer] = process.argv.slice(2)
const fail = (msg) => { console.error('FAIL: ' + msg); cleanup(); process.exit(1) }
const check = (cond, msg) => { if (!cond) fail(msg); console.log('ok - ' + msg) }
setTimeout(() => fail('timed out after 120 s'), 120000).unref()

const children = []
const cleanup = () => { for (const c of children) c.kill('SIGKILL') }
const hex = (u8) => Buffer.from(u8).toString('hex')
const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'))
const stripP2p = (a) => String(a).replace(/\/p2p\/.*$/, '')

// One of our nodes (a kad_peer process) and its JSON-lines channel.
async function startOurs (name, seed) {
  const proc = spawn(kadPeer, ['--seed', String(seed), '--protocol', '/ipfs/kad/1.0.0'],
    { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(proc)
  proc.on('exit', (code) => { if (code !== 0 && code !== null) fail(`${name} exited with ${code}`) })
  const waiting = []
  const backlog = []
  createInterface({ input: proc.stdout }).on('line', (l) => {
    let j
    try { j = JSON.parse(l) } catch { fail(`${name} printed a line that is not JSON: ${l}`) }
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
    const r = await next((j) => j.id === id)
    console.log(`  ${name} ${cmd.cmd} -> ${JSON.stringify(r).slice(0, 300)}`)
    return r
  }
  const hello = await next((j) => j.event === 'listening')
  return { name, proc, command, peer: hello.peer, addr: hello.addrs[0], listen: stripP2p(hello.addrs[0]) }
}

async function startJs () {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      ping: ping(),
      dht: kadDHT({
        protocol: '/ipfs/kad/1.0.0',
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        allowQueryWithZeroPeers: true,
        // Values under /hb/ are accepted as they are (our test namespace); newest wins.
        validators: { hb: async () => {} },
        selectors: { hb: () => 0 }
      })
    }
  })
}

// Polls `cond` every 50 ms for at most `ms` (js routing-table updates are asynchronous).
async function eventually (cond, ms, what) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  fail(`not reached within ${ms} ms: ${what}`)
}

const cidOf = async (text) => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text)))

try {
  // ---- 1. js finds ours -------------------------------------------------------------------
  const A = await startOurs('A', 11)
  const B = await startOurs('B', 12)
  const bs = await B.command({ cmd: 'bootstrap', addrs: [A.addr] })
  check(bs.ok, 'our B bootstrapped from our A')
  const k1 = await cidOf('hauptbuch kad interop key 1')
  const prov = await B.command({ cmd: 'provide', key: hex(k1.multihash.bytes) })
  check(prov.ok, 'our B provided K1 (ADD_PROVIDER to its closest peers, i.e. A)')

  const J1 = await startJs()
  await J1.dial(multiaddr(A.addr))
  await eventually(() => J1.services.dht.routingTable.size >= 1, 10000, 'J1 routing table holds A')
  check(true, `js J1 added our A to its routing table (size ${J1.services.dht.routingTable.size})`)

  const found = await J1.peerRouting.findPeer(peerIdFromString(B.peer), { signal: AbortSignal.timeout(20000) })
  check(found.id.toString() === B.peer, 'js J1 findPeer(B) returned B')
  check(found.multiaddrs.map(String).includes(B.listen),
    `js J1 learned B's address ${B.listen} (got ${found.multiaddrs.map(String)})`)

  const providers = []
  for await (const p of J1.contentRouting.findProviders(k1, { signal: AbortSignal.timeout(20000) })) {
    providers.push(p)
    if (p.id.toString() === B.peer) break
  }
  const pB = providers.find((p) => p.id.toString() === B.peer)
  check(pB !== undefined, 'js J1 findProviders(K1) returned our B (served by our A via GET_PROVIDERS)')
  check(pB.multiaddrs.map(String).includes(B.listen), `provider record carries B's address ${B.listen}`)

  // ---- 2. ours finds js -------------------------------------------------------------------
  const J2 = await startJs()
  await J2.dial(J1.getMultiaddrs()[0])
  await eventually(() => J2.services.dht.routingTable.size >= 1 && J1.services.dht.routingTable.size >= 2,
    10000, 'J1 and J2 have each other in their routing tables')
  const k2 = await cidOf('hauptbuch kad interop key 2')
  await J2.contentRouting.provide(k2, { signal: AbortSignal.timeout(20000) })
  check(true, 'js J2 provided K2')

  const C = await startOurs('C', 13)
  const j1Addr = J1.getMultiaddrs()[0].toString()
  const cbs = await C.command({ cmd: 'bootstrap', addrs: [j1Addr] })
  check(cbs.ok, 'our C bootstrapped from js J1 (self-lookup answered by js)')
  const j2Id = J2.peerId.toString()
  const j2Listen = stripP2p(J2.getMultiaddrs()[0])
  const fp = await C.command({ cmd: 'find_peer', peer: j2Id })
  check(fp.ok && fp.addrs.map(stripP2p).includes(j2Listen), `our C find_peer(J2) returned J2's address ${j2Listen}`)

  const fpr = await C.command({ cmd: 'find_providers', key: hex(k2.multihash.bytes), max: 5 })
  check(fpr.ok && fpr.providers.some((p) => p.peer === j2Id), 'our C find_providers(K2) returned js J2')
  const cp = await C.command({ cmd: 'closest_peers', key: hex(k2.multihash.bytes) })
  check(cp.ok && cp.peers.some((p) => p.peer === J1.peerId.toString()) && cp.peers.some((p) => p.peer === j2Id),
    'our C closest_peers(K2) includes both js nodes')

  // ---- 3. records both ways -----------------------------------------------------------------
  const rkey = new TextEncoder().encode('/hb/interop-from-js')
  const rval = new TextEncoder().encode('value written by js')
  for await (const ev of J1.services.dht.put(rkey, rval, { signal: AbortSignal.timeout(20000) })) { void ev }
  check(true, 'js J1 put /hb/interop-from-js')
  const gv = await C.command({ cmd: 'get_value', key: hex(rkey) })
  check(gv.ok && gv.value === hex(rval), 'our C get_value returned the value js J1 put')

  const okey = new TextEncoder().encode('/hb/interop-from-ours')
  const oval = new TextEncoder().encode('value written by ours')
  const pv = await C.command({ cmd: 'put_value', key: hex(okey), value: hex(oval) })
  check(pv.ok, 'our C put /hb/interop-from-ours')
  let got = null
  for await (const ev of J2.services.dht.get(okey, { signal: AbortSignal.timeout(20000) })) {
    if (ev.name === 'VALUE') { got = ev.value; break }
  }
  check(got !== null && hex(got) === hex(oval), 'js J2 get returned the value our C put')

  for (const n of [A, B, C]) n.proc.stdin.end()
  await J1.stop()
  await J2.stop()
  cleanup()
  console.log('all kad interop checks passed')
  process.exit(0)
} catch (e) {
  fail(String(e && e.stack || e))
}
