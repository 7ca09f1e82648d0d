// Cross-check of X-Wing vectors with an independent implementation (@noble/post-quantum 0.7.1,
// ml_kem768_x25519 = X-Wing). Test-only. Usage: node xwing_check.mjs FILE.json...
// For every {seed, sk, pk, eseed, ct, ss} object: keygen(seed) -> pk (and secretKey == sk),
// encapsulate(pk, eseed) -> ct, ss, decapsulate(ct, sk) -> ss. Exit 1 on any mismatch.
import { readFileSync } from 'node:fs';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';

const hex = (u) => Buffer.from(u).toString('hex');
const bin = (h) => new Uint8Array(Buffer.from(h, 'hex'));
let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const cases = JSON.parse(readFileSync(file, 'utf8'));
  cases.forEach((t, i) => {
    const why = [];
    const kp = ml_kem768_x25519.keygen(bin(t.seed));
    if (hex(kp.publicKey) !== t.pk) why.push('pk');
    if (hex(kp.secretKey) !== t.sk) why.push('sk');
    const enc = ml_kem768_x25519.encapsulate(bin(t.pk), bin(t.eseed));
    if (hex(enc.cipherText) !== t.ct) why.push('ct');
    if (hex(enc.sharedSecret) !== t.ss) why.push('encaps ss');
    if (hex(ml_kem768_x25519.decapsulate(bin(t.ct), bin(t.sk))) !== t.ss) why.push('decaps ss');
    if (why.length === 0) passed++;
    else { failed++; console.error(`${file}: case ${i}: mismatch in ${why.join(', ')}`); }
  });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
