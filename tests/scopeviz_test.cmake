# One function declares every test (fmt's rule). A test is a Qt Test executable
# registered with CTest, run on Qt's offscreen platform, and told where the
# test data (tests/data) lives through SCOPEVIZ_TESTDATA.
#
#   scopeviz_add_test(NAME scope_test SOURCES scope_test.cpp LIBS scopeviz_core)
function(scopeviz_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} scopeviz_test_support Qt6::Test scopeviz_warnings)
  target_compile_definitions(${T_NAME} PRIVATE SCOPEVIZ_TESTDATA="${SCOPEVIZ_TESTDATA}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SCOPEVIZ_TESTDATA=${SCOPEVIZ_TESTDATA}"
    TIMEOUT ${T_TIMEOUT})
endfunction()
