# Per-layer include folders, so an include across a forbidden edge does not compile.
# Project headers are spelled from src/ ("core/knn/knn.hpp"). Instead of src/ itself, each target
# gets one folder per layer it may use, holding a single symlink into src/:
#   <build>/layers/core/core -> src/core     (implay_core, PUBLIC: everyone above sees core/)
#   <build>/layers/io/io     -> src/io       (implay_io, PUBLIC)
#   <build>/layers/cli/cli   -> src/cli      (the implay CLI, PRIVATE)
#   <build>/layers/app/app   -> src/app      (implay_app, PUBLIC)
#   <build>/layers/platform/platform -> src/platform (implay_gui, PRIVATE)
# so core/ compiles seeing only core/, io/ core+io, the CLI core+io+cli, app/ core+app, the
# executable all but cli/. A quoted include is first looked up next to the including file, which
# finds nothing here: every project include names its layer, and no layer holds a folder named
# after another. Symlinks, not copies, so edits and compiler messages stay in src/.
# tests/layers/check_includes.py checks the same rules (and the ones a folder cannot express:
# which third-party headers a layer may use) on every file, compiled or not.
function(implay_layer_includes target scope)
  foreach(layer ${ARGN})
    set(dir ${PROJECT_BINARY_DIR}/layers/${layer})
    file(MAKE_DIRECTORY ${dir})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${layer} ${dir}/${layer} SYMBOLIC)
    target_include_directories(${target} ${scope} ${dir})
  endforeach()
endfunction()
