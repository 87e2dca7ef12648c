# aza_add_unit_test(name SOURCES... LIBS...): a GoogleTest binary whose cases carry the CTest
# label "unit" (no server, no container, seconds). Tests find fixtures through AZA_SOURCE_DIR.
function(aza_add_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main aza_warnings)
  target_compile_definitions(${name} PRIVATE AZA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 30)
endfunction()
