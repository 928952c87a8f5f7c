# Warnings for the project's own targets (third-party ImGui sources are compiled without them);
# errors too with IMPLAY_WERROR (CI builds, see CMakeLists.txt).
function(implay_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
  if(IMPLAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
       AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # GCC 12 at -O2/-O3 reports memcpy overlaps of 2^63 bytes inside std::string's operator+ and
      # operator= (GCC bug 105329, e.g. `"x" + std::to_string(v)`): printed, but not fatal.
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()
