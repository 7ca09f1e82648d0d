// A js-libp2p peer for interoperability tests (test-only).
//   node js_peer.mjs listen          -> prints {"listening": "<multiaddr with /p2p>"} then waits for
//                                       stdin to close; logs identify/ping results of peers that dial it
//   node js_peer.mjs dial <multiaddr> -> dials, pings 3 times, reads the peer's identify record,
//                                       prints one JSON line with the results, exits 0 on success
// Stack: libp2p 3 with @libp2p/tcp, @chainsafe/libp2p-noise, @chainsafe/libp2p-yamux,
// @libp2p/identify and @libp2p/ping.
import './polyfill.mjs'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { multiaddr } from '@multiformats/multiaddr'

const [mode, target] = process.argv.slice(2)
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n')
const timeout = setTimeout(() => { out({ error: 'timeout' }); process.exit(3) }, 30000)

if (mode === 'listen') {
  node.addEventListener('peer:identify', (evt) => {
    out({ identified: evt.detail.peerId.toString(), agent: evt.detail.agentVersion,
          protocols: evt.detail.protocols, listenAddrs: evt.detail.listenAddrs.map(String) })
  })
  node.addEventListener('peer:connect', (evt) => out({ connected: evt.detail.toString() }))
  out({ listening: node.getMultiaddrs()[0].toString() })
  clearTimeout(timeout)
  process.stdin.resume()
  process.stdin.on('end', async () => { await node.stop(); process.exit(0) })
} else if (mode === 'dial') {
  try {
    const ma = multiaddr(target)
    const identified = new Promise((resolve) => {
      node.addEventListener('peer:identify', (evt) => resolve(evt.detail))
    })
    const conn = await node.dial(ma)
    const rtts = []
    for (let i = 0; i < 3; i++) rtts.push(await node.services.ping.ping(ma))
    const id = await identified
    out({ ok: true, peer: conn.remotePeer.toString(), encryption: conn.encryption, multiplexer: conn.multiplexer,
          rtts, agent: id.agentVersion, protocols: id.protocols, listenAddrs: id.listenAddrs.map(String) })
    await node.stop()
    process.exit(0)
  } catch (e) {
    out({ ok: false, error: String(e && e.stack || e), type: e && e.type, detail: String(e && e.detail), name: e && e.name })
    process.exit(1)
  }
} else {
  console.error('usage: js_peer.mjs listen | dial <multiaddr>')
  process.exit(2)
}
