# Installation and packaging: `cmake --install build --prefix DIR` puts the CLI in DIR/bin, its man
# page in DIR/share/man/man1 and its bash completion in DIR/share/bash-completion/completions;
# `cpack -G DEB` in the build folder makes a .deb of the same files.
include(GNUInstallDirs)

# The man page's prose is hand-written (docs/man/tilmatch.1.in); its option lists and the bash
# completion are written from the CLI's own option table, so they change when an option does.
set(tilmatch_man_page ${PROJECT_BINARY_DIR}/share/man/man1/tilmatch.1)
set(tilmatch_completion ${PROJECT_BINARY_DIR}/share/bash-completion/completions/tilmatch)
add_custom_command(
  OUTPUT ${tilmatch_man_page} ${tilmatch_completion}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/share/man/man1
          ${PROJECT_BINARY_DIR}/share/bash-completion/completions
  COMMAND tilmatch_docgen --man-page ${PROJECT_SOURCE_DIR}/docs/man/tilmatch.1.in ${tilmatch_man_page}
  COMMAND tilmatch_docgen --bash-completion ${tilmatch_completion}
  DEPENDS tilmatch_docgen ${PROJECT_SOURCE_DIR}/docs/man/tilmatch.1.in
  COMMENT "Writing the man page and bash completion from the CLI's option table"
  VERBATIM)
add_custom_target(tilmatch_docs ALL DEPENDS ${tilmatch_man_page} ${tilmatch_completion})

# HTSlib and the C++ runtime are system libraries (Debian: libhts3, libstdc++6), so the installed
# binary needs no RPATH; the CUDA runtime is linked statically (TILMATCH_STATIC_CUDART) and the
# driver is found at run time.
install(TARGETS tilmatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${tilmatch_man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${tilmatch_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian policy: the licence as /usr/share/doc/<package>/copyright.
install(FILES cmake/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(TILMATCH_DEB_MAINTAINER "tilmatch maintainers <tilmatch@invalid>" CACHE STRING
    "Maintainer field of the .deb (name <email>); set it when you distribute the package")
set(CPACK_PACKAGE_NAME tilmatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "tilmatch")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "match tumour neoantigens to TIL clonotypes and rank TIL cultures")
set(CPACK_PACKAGE_DESCRIPTION
"tilmatch reads a patient's VEP-annotated tumour VCF, the TCR repertoires of their
tumour-infiltrating lymphocyte cultures and reference TCRs with known epitopes, and ranks the
cultures by evidence of neoantigen reactivity: TCRdist as tcrdist3 computes it, TCRMatch's kernel,
and CPU and CUDA backends that write the same bytes.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_CONTACT "${TILMATCH_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TILMATCH_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tilmatch_<version>_<arch>.deb
# Depends computed from the binary's shared libraries by dpkg-shlibdeps (libhts3, libc6, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
