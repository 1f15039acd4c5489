# Writes generated/tilmatch/version.hpp from include/tilmatch/version.hpp.in with the commit the
# build is made from: at configure time (include()) and again at every build (cmake -P, the
# tilmatch_version target), so that run.json's "version" names the commit that was built, not the
# one the build folder was configured at. configure_file rewrites the header only when the text
# changes, so an unchanged commit recompiles nothing.
# Variables: TILMATCH_SOURCE_DIR, TILMATCH_VERSION_TEMPLATE, TILMATCH_VERSION_OUTPUT, PROJECT_VERSION,
# GIT_EXECUTABLE (empty without git: the version alone, as from a tarball without .git).
set(TILMATCH_BUILD_VERSION ${PROJECT_VERSION})
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty WORKING_DIRECTORY ${TILMATCH_SOURCE_DIR}
                  OUTPUT_VARIABLE tilmatch_git_describe OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                  RESULT_VARIABLE tilmatch_git_rc)
  if(tilmatch_git_rc EQUAL 0 AND tilmatch_git_describe)
    set(TILMATCH_BUILD_VERSION "${PROJECT_VERSION}+${tilmatch_git_describe}")
  endif()
endif()
configure_file(${TILMATCH_VERSION_TEMPLATE} ${TILMATCH_VERSION_OUTPUT} @ONLY)
