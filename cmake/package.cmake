# Debian package with CPack. Configure with -DCMAKE_INSTALL_PREFIX=/usr (as
# scripts/package-test.sh does) so that the Python package lands in Debian's
# lib/python3/dist-packages, then run `cpack -G DEB` in the build folder.
# Shared-library dependencies come from dpkg-shlibdeps (package dpkg-dev);
# the Depends below are what it cannot see.
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "cpack -G DEB: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; configure with /usr for a Debian package")
endif()

set(CPACK_PACKAGE_NAME scopeviz)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "scopeviz")
# Maintainer field: a placeholder address until the project has a public one
# (override with -DCPACK_PACKAGE_CONTACT="Name <address>").
if(NOT CPACK_PACKAGE_CONTACT)
  set(CPACK_PACKAGE_CONTACT "scopeviz maintainers <maintainers@scopeviz.invalid>")
endif()
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "viewer for TensorFlow scoped computation graphs and TensorBoard event files")
set(CPACK_PACKAGE_DESCRIPTION [[scopeviz shows TensorFlow 1.x name scopes, variable scopes and shared
variables in GraphDefs (.pb, .pbtxt) and MetaGraphs (.meta), and plots
TensorBoard event files, following log directories live.
.
It also builds, runs and trains scoped graphs on the CPU: the Python
module scopeviz.compat.v1 offers TensorFlow 1.x's API for scopes, ops,
sessions, training and summaries.]])
set(CPACK_PACKAGE_INSTALL_DIRECTORY scopeviz)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)             # scopeviz_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Python extension is built for this interpreter's minor version and
# imports numpy; dpkg-shlibdeps sees neither (extensions do not link libpython).
if(SCOPEVIZ_BUILD_PYTHON)
  set(_py "${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}")
  math(EXPR _py_next "${Python3_VERSION_MINOR} + 1")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "python3 (>= ${_py}~), python3 (<< ${Python3_VERSION_MAJOR}.${_py_next}), python3-numpy")
endif()
# The MIME types and the desktop entry's associations take effect through
# these packages' dpkg triggers; the application runs without them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "shared-mime-info, desktop-file-utils, hicolor-icon-theme")

# cpack -G TGZ --config CPackSourceConfig.cmake: the sources without build output.
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git(/|$)" "/build[^/]*/" "/\\\\.cache/" "\\\\.deb$" "__pycache__")  # regexes, escaped twice

include(CPack)
