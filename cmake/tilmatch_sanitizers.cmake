# Instrumentation for every C++ target of the build (included before the targets are defined):
# - TILMATCH_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer (scripts/test --sanitize);
# - TILMATCH_BUILD_FUZZERS: the same plus libFuzzer's coverage hooks, so the core libraries can be
#   linked into the harnesses in fuzz/ (clang only; scripts/fuzz).
# Both stop at the first report (-fno-sanitize-recover=all) and turn on libstdc++'s bounds checks,
# which catch an out-of-range operator[] that stays inside a container's capacity, where ASan cannot.

set(TILMATCH_FUZZERS_ENABLED OFF)
if(TILMATCH_BUILD_FUZZERS)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(TILMATCH_FUZZERS_ENABLED ON)
  else()
    message(WARNING "tilmatch: TILMATCH_BUILD_FUZZERS needs clang (libFuzzer); the C++ compiler is "
                    "${CMAKE_CXX_COMPILER_ID}, so the fuzzers are not built (scripts/fuzz uses clang++)")
  endif()
endif()

set(tilmatch_sanitize_flags "")
if(TILMATCH_FUZZERS_ENABLED)
  set(tilmatch_sanitize_flags -fsanitize=fuzzer-no-link,address,undefined)
elseif(TILMATCH_SANITIZE)
  set(tilmatch_sanitize_flags -fsanitize=address,undefined)
endif()

if(tilmatch_sanitize_flags)
  list(APPEND tilmatch_sanitize_flags -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${tilmatch_sanitize_flags}>"
                      $<$<COMPILE_LANGUAGE:CXX>:-D_GLIBCXX_ASSERTIONS>)
  # Every executable links the sanitizer runtimes; the harnesses add libFuzzer's main (fuzz/).
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "tilmatch: sanitizers on (${tilmatch_sanitize_flags})")
endif()
# The sanitizer build is for finding faults, not for speed: -O1 with line tables only (-g1) keeps
# file:line in every report and compiles in about half the time of -O2 -g on the CI's 2 cores.
# The test suites themselves go further, to -O0 (tests/CMakeLists.txt): they hold little work.
if(TILMATCH_SANITIZE AND NOT TILMATCH_FUZZERS_ENABLED)
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-O1> $<$<COMPILE_LANGUAGE:CXX>:-g1>)
endif()
