# Gossipsub interop (included by tests/interop/CMakeLists.txt): our GossipService against
# js-libp2p @libp2p/gossipsub 17.1.1 (StrictSign), two nodes and a mixed ring of 3 ours + 3 js.
# gossip_peer is our side: a Host + GossipService driven by JSON lines (tests/interop/gossip_peer.cc).
add_executable(gossip_peer "${CMAKE_CURRENT_LIST_DIR}/gossip_peer.cc")
target_link_libraries(gossip_peer PRIVATE hbp2p_internal)
hbp2p_node_test(gossipsub_js gossipsub_interop_test.mjs $<TARGET_FILE:gossip_peer>)
