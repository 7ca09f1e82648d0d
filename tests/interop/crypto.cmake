# Differential test of ML-KEM, ML-DSA and X-Wing against @noble/post-quantum 0.7.1 (included by
# tests/interop/CMakeLists.txt; label `interop`). noble_diff.mjs generates >= 1,000 random cases
# per operation (HBP2P_NOBLE_DIFF_CASES) into the build directory in the ACVP / X-Wing vector
# layouts, and `hbp2p crypto acvp` / `hbp2p crypto xwing` check our side byte for byte.
set(HBP2P_NOBLE_DIFF_CASES 1002 CACHE STRING "noble differential test: cases per operation")
hbp2p_node_test(noble_diff noble_diff.mjs ${HBP2P_NOBLE_DIFF_CASES})
set_tests_properties(interop.noble_diff PROPERTIES TIMEOUT 600)
