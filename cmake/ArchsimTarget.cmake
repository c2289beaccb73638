# Shared compile settings for every archsim target, and the helper that turns data files
# (price books, AWS facts) into C++ so the binary needs no data directory at run time while
# the YAML stays the single, reviewable source of each number.

add_library(archsim_options INTERFACE)
target_compile_options(archsim_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                                -Wno-missing-field-initializers)
if(ARCHSIM_WERROR)
  target_compile_options(archsim_options INTERFACE -Werror)
endif()
if(ARCHSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ARCHSIM_FUZZ needs clang (libFuzzer): configure with the `fuzz` preset, "
                        "or -DCMAKE_CXX_COMPILER=clang++ (Debian packages clang and libclang-rt-14-dev)")
  endif()
  # Coverage feedback for libFuzzer in every library; the fuzz targets link the fuzzer itself.
  target_compile_options(archsim_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined -g)
  target_link_options(archsim_options INTERFACE -fsanitize=address,undefined)
elseif(ARCHSIM_SANITIZE)
  target_compile_options(archsim_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                   -fno-sanitize-recover=undefined)
  target_link_options(archsim_options INTERFACE -fsanitize=address,undefined)
endif()

# archsim_embed_files(<target> <namespace> <file>...)
# Adds a generated source to <target> defining `std::string_view <namespace>::embedded(name)`,
# which returns the text of the data file whose base name is `name` (empty if unknown).
function(archsim_embed_files target namespace)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(inputs)
  foreach(f IN LISTS ARGN)
    list(APPEND inputs "${CMAKE_CURRENT_SOURCE_DIR}/${f}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${namespace} "-DINPUTS=${inputs}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed.cmake"
    DEPENDS ${inputs} "${PROJECT_SOURCE_DIR}/cmake/embed.cmake"
    COMMENT "Embedding data files into ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
