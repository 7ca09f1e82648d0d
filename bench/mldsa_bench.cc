// ML-DSA-44/65/87 keygen/sign/verify, with libsodium and OpenSSL Ed25519 measured in the same run
// for comparison. Run: mldsa_bench --benchmark_format=json (time unit: microseconds).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <vector>

#include "crypto/ed25519_batch.h"
#include "crypto/mldsa.h"

using namespace hauptbuch::p2p;
namespace mldsa = hauptbuch::p2p::crypto::mldsa;

namespace {

mldsa::ParameterSet set_of(int64_t i) {
  return i == 44 ? mldsa::ParameterSet::kMlDsa44 : i == 65 ? mldsa::ParameterSet::kMlDsa65
                                                           : mldsa::ParameterSet::kMlDsa87;
}

void BM_MlDsaKeygen(benchmark::State& state) {
  const auto set = set_of(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(mldsa::keygen(set));
}
BENCHMARK(BM_MlDsaKeygen)->Arg(44)->Arg(65)->Arg(87)->Unit(benchmark::kMicrosecond);

void BM_MlDsaSign(benchmark::State& state) {
  const auto kp = mldsa::keygen(set_of(state.range(0)));
  Bytes msg(256, 0x42);
  uint64_t n = 0;
  for (auto _ : state) {
    msg[0] = static_cast<uint8_t>(n++);  // vary the message: the rejection count varies with it
    benchmark::DoNotOptimize(mldsa::sign(kp.sk, msg, {}));
  }
}
BENCHMARK(BM_MlDsaSign)->Arg(44)->Arg(65)->Arg(87)->Unit(benchmark::kMicrosecond);

void BM_MlDsaVerify(benchmark::State& state) {
  const auto kp = mldsa::keygen(set_of(state.range(0)));
  const Bytes msg(256, 0x42);
  const Bytes sig = *mldsa::sign(kp.sk, msg, {});
  for (auto _ : state) benchmark::DoNotOptimize(mldsa::verify(kp.pk, msg, sig, {}).ok());
}
BENCHMARK(BM_MlDsaVerify)->Arg(44)->Arg(65)->Arg(87)->Unit(benchmark::kMicrosecond);

void BM_SodiumEd25519Keygen(benchmark::State& state) {
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  for (auto _ : state) benchmark::DoNotOptimize(crypto_sign_keypair(pk, sk));
}
BENCHMARK(BM_SodiumEd25519Keygen)->Unit(benchmark::kMicrosecond);

void BM_SodiumEd25519Sign(benchmark::State& state) {
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  crypto_sign_keypair(pk, sk);
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x42);
  for (auto _ : state) benchmark::DoNotOptimize(crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sk));
}
// 256-byte messages, and 1,100 bytes: the signing input of a 1 KiB gossipsub message (Ed25519
// hashes the whole message with SHA-512, twice when signing, once when verifying).
BENCHMARK(BM_SodiumEd25519Sign)->Arg(256)->Arg(1100)->Unit(benchmark::kMicrosecond);

void BM_SodiumEd25519Verify(benchmark::State& state) {
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  crypto_sign_keypair(pk, sk);
  const Bytes msg(static_cast<size_t>(state.range(0)), 0x42);
  crypto_sign_detached(sig, nullptr, msg.data(), msg.size(), sk);
  for (auto _ : state) benchmark::DoNotOptimize(crypto_sign_verify_detached(sig, msg.data(), msg.size(), pk));
}
BENCHMARK(BM_SodiumEd25519Verify)->Arg(256)->Arg(1100)->Unit(benchmark::kMicrosecond);

// Our verifier (crypto/ed25519_batch.h) on 1,100-byte messages: one signature at a time, and
// batches of n signatures by one key (a gossip author's run of messages) or by n keys. The
// seconds_per_signature counter is the time of one call divided by n.
void BM_OurEd25519Verify(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const bool one_key = state.range(1) != 0;
  struct Sig {
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
    Bytes msg;
  };
  std::vector<Sig> sigs(n);
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || !one_key) crypto_sign_keypair(sigs[i].pk, sigs[i].sk);
    else {
      std::copy(std::begin(sigs[0].sk), std::end(sigs[0].sk), sigs[i].sk);
      std::copy(std::begin(sigs[0].pk), std::end(sigs[0].pk), sigs[i].pk);
    }
    sigs[i].msg = Bytes(1100, static_cast<uint8_t>(i));
    crypto_sign_detached(sigs[i].sig, nullptr, sigs[i].msg.data(), sigs[i].msg.size(), sigs[i].sk);
  }
  std::vector<crypto::Ed25519Item> items;
  for (const auto& s : sigs) items.push_back({ByteSpan(s.pk, 32), s.msg, ByteSpan(s.sig, 64)});
  for (auto _ : state) {
    const bool ok = n == 1 ? crypto::ed25519_verify_one_own(items[0]) : crypto::ed25519_verify_batch(items);
    if (!ok) state.SkipWithError("verification failed");
  }
  // Seconds per signature: the inverse of signatures per second.
  state.counters["seconds_per_signature"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetLabel(n == 1 ? "one signature, our arithmetic" : one_key ? "batch, one key" : "batch, a key per signature");
}
BENCHMARK(BM_OurEd25519Verify)->Args({1, 1})->Args({16, 1})->Args({64, 1})->Args({16, 0})->Args({64, 0})->Unit(benchmark::kMicrosecond);

EVP_PKEY* openssl_ed25519_key() {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  EVP_PKEY_keygen_init(ctx);
  EVP_PKEY_keygen(ctx, &key);
  EVP_PKEY_CTX_free(ctx);
  return key;
}

void BM_OpenSslEd25519Keygen(benchmark::State& state) {
  for (auto _ : state) {
    EVP_PKEY* k = openssl_ed25519_key();
    benchmark::DoNotOptimize(k);
    EVP_PKEY_free(k);
  }
}
BENCHMARK(BM_OpenSslEd25519Keygen)->Unit(benchmark::kMicrosecond);

void BM_OpenSslEd25519Sign(benchmark::State& state) {
  EVP_PKEY* key = openssl_ed25519_key();
  const Bytes msg(256, 0x42);
  uint8_t sig[64];
  for (auto _ : state) {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    size_t len = sizeof sig;
    EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
    benchmark::DoNotOptimize(EVP_DigestSign(md, sig, &len, msg.data(), msg.size()));
    EVP_MD_CTX_free(md);
  }
  EVP_PKEY_free(key);
}
BENCHMARK(BM_OpenSslEd25519Sign)->Unit(benchmark::kMicrosecond);

void BM_OpenSslEd25519Verify(benchmark::State& state) {
  EVP_PKEY* key = openssl_ed25519_key();
  const Bytes msg(256, 0x42);
  uint8_t sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(md, sig, &len, msg.data(), msg.size());
  EVP_MD_CTX_free(md);
  for (auto _ : state) {
    EVP_MD_CTX* v = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(v, nullptr, nullptr, nullptr, key);
    benchmark::DoNotOptimize(EVP_DigestVerify(v, sig, len, msg.data(), msg.size()));
    EVP_MD_CTX_free(v);
  }
  EVP_PKEY_free(key);
}
BENCHMARK(BM_OpenSslEd25519Verify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
