# One function declares every test (fmt's rule). A test is a Qt Test executable
# registered with CTest, run on Qt's offscreen platform, and told where the
# test data (tests/data) lives through SCOPEVIZ_TESTDATA.
#
#   scopeviz_add_test(NAME scope_test SOURCES scope_test.cpp LIBS scopeviz_core
#                     LABELS untrusted)
#
# Every test is labelled with its top folder under tests/ (core, ui, app,
# python, repo), plus the LABELS given. The sanitizer script picks suites by
# label (scripts/sanitize.sh, docs/toolchain.md):
#   untrusted  parses input from outside (event files, GraphDefs, names on the command line)
#   threaded   runs work on more than one thread
# NO_QT builds the executable without Qt Test (a plain main(); the fuzz replay
# drivers), so it also builds in the core-only configuration.
function(scopeviz_add_test)
  cmake_parse_arguments(T "NO_QT" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  if(T_NO_QT)
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} scopeviz_test_support scopeviz_warnings)
  else()
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} scopeviz_test_support Qt6::Test scopeviz_warnings)
  endif()
  target_compile_definitions(${T_NAME} PRIVATE SCOPEVIZ_TESTDATA="${SCOPEVIZ_TESTDATA}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  file(RELATIVE_PATH _rel "${PROJECT_SOURCE_DIR}/tests" "${CMAKE_CURRENT_SOURCE_DIR}")
  string(REGEX REPLACE "/.*" "" _top "${_rel}")
  set_tests_properties(${T_NAME} PROPERTIES
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SCOPEVIZ_TESTDATA=${SCOPEVIZ_TESTDATA}"
    TIMEOUT ${T_TIMEOUT}
    LABELS "${_top};${T_LABELS}")
endfunction()
