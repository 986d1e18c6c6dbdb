# libFuzzer targets (AUTOGRAD_FUZZ=ON, clang): the YAML loader, the expression parser, the .npy
# reader and a whole run. Each gets a CTest entry running it for a short fixed time with a fixed
# seed, from the seed corpora (specs/, tests/fuzz/seeds/); tests/fuzz/run_long.sh runs them longer.
set(AUTOGRAD_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under CTest")
set(FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(FUZZ_SEEDS_yaml_loader ${CMAKE_SOURCE_DIR}/specs)
set(FUZZ_SEEDS_run ${CMAKE_SOURCE_DIR}/specs)
set(FUZZ_SEEDS_expression ${FUZZ_DIR}/seeds/expression)
set(FUZZ_SEEDS_npy ${CMAKE_SOURCE_DIR}/specs/scripting/data)
foreach(target yaml_loader expression npy run)
  add_executable(fuzz_${target} ${FUZZ_DIR}/fuzz_${target}.cpp)
  target_link_libraries(fuzz_${target} PRIVATE autograd_core)
  target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
  # The run writes new inputs to a scratch corpus, never to the seed directories in the source tree.
  add_test(NAME "fuzz:${target}"
           COMMAND sh -c "rm -rf \"$1\" && mkdir -p \"$1\" && \"$0\" -seed=1 -max_total_time=${AUTOGRAD_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048 -max_len=65536 -dict=${FUZZ_DIR}/autograd.dict -print_final_stats=1 \"$1\" \"$2\""
                   $<TARGET_FILE:fuzz_${target}> ${CMAKE_BINARY_DIR}/fuzz-corpus/${target} ${FUZZ_SEEDS_${target}}
           WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
  set_tests_properties("fuzz:${target}" PROPERTIES TIMEOUT 600)
endforeach()
