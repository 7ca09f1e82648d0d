# Helper functions shared by tests/, fuzz/ and bench/ so that adding a file never means
# editing a list somebody else is editing: each folder globs its own files.

# hbp2p_unit_test_dir(<name> <dir>): one GoogleTest executable `unit_<name>` from every
# *_test.cc in <dir>; every TEST is registered with ctest under its own name.
# Tests find shared data through tests/testing/vectors.h (defaults compiled in there).
function(hbp2p_unit_test_dir name dir)
  file(GLOB srcs CONFIGURE_DEPENDS "${dir}/*_test.cc")
  if(NOT srcs)
    return()
  endif()
  add_executable(unit_${name} ${srcs})
  target_link_libraries(unit_${name} PRIVATE hbp2p_testing GTest::gtest_main GTest::gmock)
  gtest_discover_tests(unit_${name}
    TEST_PREFIX "${name}."
    DISCOVERY_TIMEOUT 120
    PROPERTIES LABELS "unit;${name}")
endfunction()
