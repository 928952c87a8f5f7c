# Warnings for the project's own targets (third-party ImGui sources are compiled without them).
function(implay_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()
