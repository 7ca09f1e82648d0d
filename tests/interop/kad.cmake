# Kademlia interop (included by tests/interop/CMakeLists.txt): our KadService against
# js-libp2p @libp2p/kad-dht 16.4.5 in server mode on /ipfs/kad/1.0.0, both directions.
# kad_peer is our side: a Host + KadService driven by JSON lines (tests/interop/kad_peer.cc).
add_executable(kad_peer "${CMAKE_CURRENT_LIST_DIR}/kad_peer.cc")
target_link_libraries(kad_peer PRIVATE hbp2p_internal)
hbp2p_node_test(kad_js kad_interop_test.mjs $<TARGET_FILE:kad_peer>)
