# crmsync_target_defaults(target): the warning set and language level every target of ours uses.
# -Wnull-dereference is left out: GCC 12 reports false positives inside libstdc++ and Asio at -O2.
function(crmsync_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2
    -Wmisleading-indentation)
  if(CRMSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
