// PeerId interop (ctest label `interop`): @libp2p/peer-id + @libp2p/crypto against ours.
//   node peer_id_interop_test.mjs <hbp2p> <scratch dir> <peer_id_check>
// js generates 200 Ed25519 keys; our checker must derive the same base58 PeerIds and CIDv1
// strings from their protobuf public keys and parse both text forms. Then ours generates 200 and
// js must derive and parse the same. Exit 0 only if all 400 agree.
import './polyfill.mjs'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, publicKeyToProtobuf, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey, peerIdFromString, peerIdFromCID } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'

const [, scratch, checker] = process.argv.slice(2)
const N = 200
mkdirSync(scratch, { recursive: true })
const hex = (u8) => Buffer.from(u8).toString('hex')

// js -> ours
const lines = []
for (let i = 0; i < N; i++) {
  const key = await generateKeyPair('Ed25519')
  const id = peerIdFromPublicKey(key.publicKey)
  lines.push(JSON.stringify({ pub: hex(publicKeyToProtobuf(key.publicKey)), id: id.toString(), cid: id.toCID().toString() }))
}
const file = join(scratch, 'js_peer_ids.jsonl')
writeFileSync(file, lines.join('\n') + '\n')
console.log('ours on js keys: ' + execFileSync(checker, ['check', file]).toString().trim())

// ours -> js
const ours = execFileSync(checker, ['generate', String(N)]).toString().trim().split('\n').map((l) => JSON.parse(l))
let bad = 0
for (const r of ours) {
  const fromKey = peerIdFromPublicKey(publicKeyFromProtobuf(Buffer.from(r.pub, 'hex')))
  const ok = fromKey.toString() === r.id && fromKey.toCID().toString() === r.cid &&
    peerIdFromString(r.id).equals(fromKey) && peerIdFromCID(CID.parse(r.cid)).equals(fromKey)
  if (!ok) { bad++; console.error('mismatch: ' + JSON.stringify(r)) }
}
console.log(`js on our keys: ${ours.length} checked, ${bad} failed`)
if (bad !== 0 || ours.length !== N) process.exit(1)
console.log('all PeerId interop checks passed')
