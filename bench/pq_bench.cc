// Benchmarks: ML-KEM-512/768/1024 keygen, encaps and decaps (µs per operation), next to X25519
// from libsodium (crypto_scalarmult_base / crypto_scalarmult) and OpenSSL (EVP_PKEY keygen and
// derive), all in the same run. Run with --benchmark_format=json; table in bench/README.md.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/mlkem.h"

namespace {

namespace mlkem = hauptbuch::p2p::crypto::mlkem;

mlkem::ParameterSet set_of(int64_t v) {
  return v == 512 ? mlkem::ParameterSet::kMlKem512
         : v == 768 ? mlkem::ParameterSet::kMlKem768
                    : mlkem::ParameterSet::kMlKem1024;
}

void BM_MlKemKeygen(benchmark::State& st) {
  const auto set = set_of(st.range(0));
  mlkem::Seed d{}, z{};
  for (auto _ : st) {
    d[0]++;
    auto kp = mlkem::keygen_from_seed(set, d, z);
    benchmark::DoNotOptimize(kp.ek.bytes().data());
  }
}
BENCHMARK(BM_MlKemKeygen)->Arg(512)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_MlKemEncaps(benchmark::State& st) {
  const auto kp = mlkem::keygen(set_of(st.range(0)));
  mlkem::Seed m{};
  for (auto _ : st) {
    m[0]++;
    auto e = mlkem::encaps_with_m(kp.ek, m);
    benchmark::DoNotOptimize(e.ss.data());
  }
}
BENCHMARK(BM_MlKemEncaps)->Arg(512)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_MlKemDecaps(benchmark::State& st) {
  const auto kp = mlkem::keygen(set_of(st.range(0)));
  const auto e = mlkem::encaps(kp.ek);
  for (auto _ : st) {
    auto ss = mlkem::decaps(kp.dk, e.ct);
    benchmark::DoNotOptimize(ss.value().data());
  }
}
BENCHMARK(BM_MlKemDecaps)->Arg(512)->Arg(768)->Arg(1024)->Unit(benchmark::kMicrosecond);

void BM_SodiumX25519Base(benchmark::State& st) {
  unsigned char sk[32], pk[32];
  randombytes_buf(sk, sizeof sk);
  for (auto _ : st) {
    sk[0]++;
    benchmark::DoNotOptimize(crypto_scalarmult_base(pk, sk));
  }
}
BENCHMARK(BM_SodiumX25519Base)->Unit(benchmark::kMicrosecond);

void BM_SodiumX25519Shared(benchmark::State& st) {
  unsigned char sk[32], peer_sk[32], peer_pk[32], out[32];
  randombytes_buf(sk, sizeof sk);
  randombytes_buf(peer_sk, sizeof peer_sk);
  crypto_scalarmult_base(peer_pk, peer_sk);
  for (auto _ : st) benchmark::DoNotOptimize(crypto_scalarmult(out, sk, peer_pk));
}
BENCHMARK(BM_SodiumX25519Shared)->Unit(benchmark::kMicrosecond);

EVP_PKEY* openssl_x25519_key() {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr);
  EVP_PKEY_keygen_init(ctx);
  EVP_PKEY_keygen(ctx, &key);
  EVP_PKEY_CTX_free(ctx);
  return key;
}

void BM_OpenSslX25519Keygen(benchmark::State& st) {
  for (auto _ : st) {
    EVP_PKEY* k = openssl_x25519_key();
    benchmark::DoNotOptimize(k);
    EVP_PKEY_free(k);
  }
}
BENCHMARK(BM_OpenSslX25519Keygen)->Unit(benchmark::kMicrosecond);

void BM_OpenSslX25519Derive(benchmark::State& st) {
  EVP_PKEY* mine = openssl_x25519_key();
  EVP_PKEY* peer = openssl_x25519_key();
  unsigned char out[32];
  for (auto _ : st) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(mine, nullptr);
    EVP_PKEY_derive_init(ctx);
    EVP_PKEY_derive_set_peer(ctx, peer);
    size_t len = sizeof out;
    benchmark::DoNotOptimize(EVP_PKEY_derive(ctx, out, &len));
    EVP_PKEY_CTX_free(ctx);
  }
  EVP_PKEY_free(mine);
  EVP_PKEY_free(peer);
}
BENCHMARK(BM_OpenSslX25519Derive)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
